"use client";

import { useId, useMemo, useState } from "react";
import { stateLine } from "./announce";
import { parseFilter, type PacketTest } from "./displayFilter";
import { downloadPcap } from "./download";
import { indexOfPacket } from "./packetIndex";
import { PacketDetail } from "./PacketDetail";
import { PacketList } from "./PacketList";
import { useCapture } from "./useCapture";
import "./capture.css";

const ALL: PacketTest = () => true;

/**
 * The session's packet capture: which capture, its state and counts, Stop and Download .pcap, the
 * display filter, the packet list, and the opened packet's layers and bytes. Everyone in the session
 * sees the same captures; `canCapture` (owner, driver, instructor) may stop one. Captures are
 * started from the topology (useCapture(sessionId).start(container, iface)), which this panel shows.
 */
export function CapturePanel({
  sessionId,
  canCapture,
  onClose,
}: {
  sessionId: string;
  canCapture: boolean;
  onClose?: () => void;
}) {
  const capture = useCapture(sessionId);
  const { focused, packets, version } = capture;
  const ids = { title: useId(), filter: useId(), filterError: useId(), filterHelp: useId() };
  const [filterText, setFilterText] = useState("");
  const [applied, setApplied] = useState<{ text: string; test: PacketTest }>({ text: "", test: ALL });
  const [filterError, setFilterError] = useState<string | null>(null);
  // Which packet is selected and opened, in which capture (another capture shown starts with none).
  const [picked, setPicked] = useState<{ captureId?: string; selected: number | null; opened: number | null }>({
    selected: null,
    opened: null,
  });
  const mine = picked.captureId === focused?.id;
  const selectedNo = mine ? picked.selected : null;
  const openedNo = mine ? picked.opened : null;
  const pick = (change: { selected?: number | null; opened?: number | null }) =>
    setPicked({ captureId: focused?.id, selected: selectedNo, opened: openedNo, ...change });
  const [stopping, setStopping] = useState(false);

  // Packets grow in place: `version` says when to filter again.
  const shown = useMemo(
    () => (applied.test === ALL ? packets.slice() : packets.filter(applied.test)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [packets, version, applied],
  );
  const opened = openedNo === null ? null : (packets[indexOfPacket(packets, openedNo)] ?? null);
  const firstTs = packets[0]?.ts ?? 0;

  const applyFilter = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = parseFilter(filterText);
    if (!parsed.ok) return setFilterError(parsed.error);
    setFilterError(null);
    setApplied({ text: filterText.trim(), test: filterText.trim() ? parsed.test : ALL });
  };
  const clearFilter = () => {
    setFilterText("");
    setFilterError(null);
    setApplied({ text: "", test: ALL });
  };
  const stop = async () => {
    if (!focused) return;
    setStopping(true);
    await capture.stop(focused.id);
    setStopping(false);
  };

  return (
    <section className="capture-panel" aria-labelledby={ids.title} data-testid="capture-panel">
      <div className="capture-bar">
        <h2 id={ids.title}>Packet capture</h2>
        {capture.connection.kind !== "connected" && (
          <span className="tagline" data-testid="capture-connection">
            {capture.connection.kind === "connecting" ? "Connecting to the lab host…" : capture.connection.reason}
          </span>
        )}
        {capture.connection.kind === "closed" && (
          <button type="button" className="secondary" onClick={capture.retry}>
            Reconnect capture
          </button>
        )}
        {onClose && (
          <button type="button" className="secondary" onClick={onClose}>
            Close capture panel
          </button>
        )}
      </div>
      <p role="status" aria-live="polite" className="visually-hidden" data-testid="capture-announcement">
        {capture.announcement}
      </p>
      {capture.notice && (
        <p className="capture-notice" role="alert">
          {capture.notice}{" "}
          <button type="button" className="secondary" onClick={capture.dismissNotice}>
            Dismiss
          </button>
        </p>
      )}
      {capture.captures.length > 1 && (
        <label className="capture-choice">
          Capture{" "}
          <select value={focused?.id ?? ""} onChange={(e) => capture.focus(e.target.value)}>
            {capture.captures.map((c) => (
              <option key={c.id} value={c.id}>
                {c.container} {c.iface}, {c.state} (started by {c.startedBy})
              </option>
            ))}
          </select>
        </label>
      )}
      {!focused ? (
        <p className="tagline">
          No capture in this session yet.{" "}
          {canCapture ? "Choose an interface in the topology, then “Capture on” it." : "Its owner or a driver can start one."}
        </p>
      ) : (
        <>
          <div className="capture-bar">
            <span data-testid="capture-state" data-state={focused.state}>
              <strong>
                {focused.container} {focused.iface}
              </strong>{" "}
              (started by {focused.startedBy}): {stateLine(focused)}
            </span>
            {canCapture && focused.state === "running" && (
              <button type="button" className="danger" onClick={stop} disabled={stopping}>
                Stop capture
              </button>
            )}
            <button type="button" onClick={() => downloadPcap(packets, focused)} disabled={packets.length === 0}>
              Download .pcap
            </button>
          </div>
          <form className="capture-filter" onSubmit={applyFilter} role="search" aria-label="Display filter">
            <label htmlFor={ids.filter}>Display filter</label>
            <input
              id={ids.filter}
              value={filterText}
              onChange={(e) => setFilterText(e.target.value)}
              placeholder="icmp or ip.addr == 172.17.0.3"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={filterError !== null}
              aria-describedby={filterError ? ids.filterError : ids.filterHelp}
            />
            <button type="submit">Apply filter</button>
            <button type="button" className="secondary" onClick={clearFilter} disabled={!filterText && !applied.text}>
              Clear filter
            </button>
            {filterError ? (
              <p id={ids.filterError} className="capture-filter-error" role="alert">
                {filterError}
              </p>
            ) : (
              <p id={ids.filterHelp} className="tagline">
                {applied.text
                  ? `Showing ${shown.length} of ${packets.length} packets (${applied.text}).`
                  : `${packets.length} packets.`}{" "}
                Filter by protocol (arp, icmp, dns, tcp, udp, http), ip.addr == A.B.C.D or host A.B.C.D, with and, or, not.
              </p>
            )}
          </form>
          <div className="capture-body">
            <PacketList
              packets={shown}
              firstTs={firstTs}
              selected={indexOfPacket(shown, selectedNo)}
              onSelect={(i) => pick({ selected: shown[i]?.no ?? null })}
              onOpen={(i) => pick({ selected: shown[i]?.no ?? null, opened: shown[i]?.no ?? null })}
            />
            <PacketDetail packet={opened} />
          </div>
        </>
      )}
    </section>
  );
}
