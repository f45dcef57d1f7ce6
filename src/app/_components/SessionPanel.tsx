"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { mayCheck, mayShare, maySubmit, mayType, OWNER } from "~/protocol/roles";
import { ENDING, hasFailed, isIn, isRunning, Status } from "~/protocol/sessionStatus";
import { ClassroomBar } from "./classroom/ClassroomBar";
import { LabGuide } from "./LabGuide";
import { StopLab } from "./lab/StopLab";
import { StoppedActions } from "./lab/StoppedActions";
import { TimeLeft } from "./lab/TimeLeft";
import { CancelWaiting } from "./session/CancelWaiting";
import { lineSentence } from "./session/lineSentence";
import { statusLabel } from "./session/statusLabel";
import { selectedTerminal, tabChanges } from "./session/terminalTabs";
import { useSessionLive } from "./session/useSessionLive";
import { ShareSession } from "./ShareSession";
import { Terminal } from "./Terminal";
import { TopologyPanel } from "./topology/TopologyPanel";
import { LinkSettings } from "./links/LinkSettings";

export function SessionPanel({ sessionId }: { sessionId: string }) {
  const live = useSessionLive(sessionId);
  // After this page's Stop, its button is gone: the focus goes to the lab's heading, above the status that says so.
  const heading = useRef<HTMLHeadingElement>(null);
  const focusHeading = useRef(false);
  useEffect(() => {
    if (!focusHeading.current) return;
    focusHeading.current = false;
    heading.current?.focus();
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [topologyOpen, setTopologyOpen] = useState(false);
  const [inject, setInject] = useState<{ id: number; terminal: string; text: string } | null>(null);
  // A clicked command is typed without Enter into its terminal, which is shown and focused: the learner edits it, then presses Enter.
  const typeInTerminal = (terminal: string, command: string) => {
    const terminals = live.session?.terminals ?? [];
    if (terminals.length > 0 && !terminals.includes(terminal))
      return `there is no ${terminal} in this session yet (create it first, then try again)`;
    setChosen(terminal);
    setInject((previous) => ({ id: (previous?.id ?? 0) + 1, terminal, text: command }));
    return undefined;
  };
  // Containers come and go as the learner creates and removes them: announced politely.
  const terminalsKey = live.session?.terminals.join("\n") ?? "";
  const [seenTerminals, setSeenTerminals] = useState(terminalsKey);
  const [announcement, setAnnouncement] = useState("");
  if (seenTerminals !== terminalsKey) {
    setSeenTerminals(terminalsKey);
    const change = tabChanges(seenTerminals ? seenTerminals.split("\n") : [], live.session?.terminals ?? []);
    if (change) setAnnouncement(change);
    // A shown tab whose container went: the host is shown, and stays shown if the name comes back.
    const now = live.session?.terminals ?? [];
    if (chosen !== null && now.length > 0 && !now.includes(chosen)) setChosen(selectedTerminal(chosen, null, now));
  }
  if (live.error && !live.session) {
    return (
      <p role="alert" className="error">
        {live.error} <Link href="/">Back to home</Link>
      </p>
    );
  }
  const s = live.session;
  if (!s) return <p role="status">Loading session…</p>;
  // A removed container's tab goes; if it was shown, the session host is.
  const terminal = selectedTerminal(chosen, s.defaultTerminal, s.terminals);
  // Stopping or over: the steps, their results and the score stay, read-only (no Check, Submit or Type; no terminals).
  const ended = isIn(s.status, ENDING) || s.isSettled;
  // In line for a place: the status says the position and estimate (updated as the line moves), with Cancel.
  const waiting = s.status === Status.waiting;
  const onStopped = (view: Parameters<typeof live.apply>[0]) => {
    focusHeading.current = true;
    live.apply(view);
  };
  return (
    <section>
      <div className="session-head">
        <h1 ref={heading} tabIndex={-1}>
          {s.labTitle}
        </h1>
        {/* The stop's answer shows at once; the push channel then follows the teardown. */}
        {s.canStop && !waiting && <StopLab sessionId={s.id} labTitle={s.labTitle} onStopped={onStopped} />}
      </div>
      {live.error && (
        <p role="alert" className="error">
          {live.error}
        </p>
      )}
      <div className="status" data-testid="session-status" data-status={s.status} role="status" aria-live="polite">
        {s.inProgress && <span className="spinner" aria-hidden />}
        <strong>{statusLabel[s.status]}</strong>
        {waiting ? (
          <span className="tagline" data-testid="waiting-line">
            {lineSentence(s.line)}
          </span>
        ) : (
          s.statusReason && <span className={hasFailed(s.status) ? "error" : "tagline"}>{s.statusReason}</span>
        )}
      </div>
      {waiting && s.canStop && (
        <div className="waiting-actions">
          <CancelWaiting sessionId={s.id} labTitle={s.labTitle} onStopped={onStopped} />
        </div>
      )}
      <ClassroomBar session={s} />
      {/* A class session's time left (with extend) is the ClassroomBar's. */}
      {!s.classroom && isRunning(s.status) && <TimeLeft expiresAt={s.expiresAt} />}
      {isRunning(s.status) && mayShare(s.access) && <ShareSession sessionId={s.id} />}
      {isRunning(s.status) && s.access !== OWNER && <p className="tagline">You joined this lab as a {s.access}.</p>}
      <p style={visuallyHidden} role="status" aria-live="polite" data-testid="terminal-changes">
        {announcement}
      </p>
      {isRunning(s.status) && terminal && (
        <div className="workspace">
          <LabGuide
            sessionId={s.id}
            progress={live.progress}
            runs={live.runs}
            canCheck={mayCheck(s.access)}
            canSubmit={maySubmit(s.access)}
            onType={mayType(s.access) ? typeInTerminal : undefined}
            containerGuide={s.containerGuide}
          />
          <div className="terminal-column">
            {s.terminals.length > 1 && (
              <nav className="terminal-tabs" aria-label="Terminals">
                {s.terminals.map((name) => (
                  <button
                    key={name}
                    data-testid={`terminal-tab-${name}`}
                    className={name === terminal ? "tab active" : "tab"}
                    aria-pressed={name === terminal}
                    onClick={() => {
                      // A command clicked for another tab has been typed: switching back must not type it again.
                      setChosen(name);
                      setInject(null);
                    }}
                  >
                    {name}
                  </button>
                ))}
              </nav>
            )}
            <Terminal
              key={terminal}
              sessionId={s.id}
              terminal={terminal}
              inject={inject && inject.terminal === terminal ? inject : null}
            />
          </div>
        </div>
      )}
      {isRunning(s.status) && terminal && (
        <div className="topology-toggle">
          <button
            type="button"
            className="secondary"
            data-testid="topology-toggle"
            aria-expanded={topologyOpen}
            aria-controls="topology"
            onClick={() => setTopologyOpen((open) => !open)}
          >
            {topologyOpen ? "Hide the topology" : "Show the topology"}
          </button>
        </div>
      )}
      {isRunning(s.status) && terminal && topologyOpen && (
        <div id="topology">
          {live.progress?.engine?.topology ? (
            <TopologyPanel
              sessionId={s.id}
              topology={live.progress.engine.topology}
              links={s.links}
              terminals={s.terminals}
              canCapture={mayType(s.access)}
              canSetLinks={mayType(s.access)}
              linkSettings={(choice) => (
                <LinkSettings
                  sessionId={s.id}
                  container={choice.owner}
                  iface={choice.iface}
                  current={choice.link}
                  onClose={choice.onDone}
                />
              )}
              onOpenTerminal={(name) => {
                setChosen(name);
                setInject(null);
                // The tab shown is focused, so a keyboard user lands where the terminal is.
                requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="terminal-tab-${name}"]`)?.focus());
              }}
            />
          ) : (
            <p role="status">The topology appears once the engine has been read (a moment after the session is ready).</p>
          )}
        </div>
      )}
      {ended && (
        <div className="ended-steps" data-testid="ended-steps">
          <LabGuide
            sessionId={s.id}
            progress={live.progress}
            runs={live.runs}
            canCheck={false}
            canSubmit={false}
            containerGuide={[]}
          />
        </div>
      )}
      {s.isSettled && <StoppedActions session={s} />}
    </section>
  );
}

/** Read by screen readers, not shown. */
const visuallyHidden: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
};
