"use client";

import { useCallback, useId, useLayoutEffect, useRef, useState } from "react";
import type { CapturedPacket } from "~/protocol/terminalProtocol";
import { relativeTime } from "./packetTime";

/** Each row's height in px (fixed, so only the rows in view are rendered: 10,000 rows stay fast). */
export const ROW_HEIGHT = 24;
const VISIBLE_ROWS = 14;
const OVERSCAN = 8;
const COLUMNS = ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"] as const;

type Props = {
  packets: readonly CapturedPacket[];
  /** µs since the epoch of the capture's first packet: the Time column counts from it. */
  firstTs: number;
  /** Index in `packets` of the selected row, or -1. */
  selected: number;
  onSelect: (index: number) => void;
  /** Enter or a click: show this packet in the detail pane. */
  onOpen: (index: number) => void;
};

/**
 * The Wireshark-like packet list: a grid navigable with the arrows, Page Up/Down, Home and End
 * (the selected row is the grid's active descendant), Enter opens the selected packet. Only the
 * rows in view (and a few around) are in the page; it keeps following new packets while scrolled
 * to the bottom.
 */
export function PacketList({ packets, firstTs, selected, onSelect, onOpen }: Props) {
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const following = useRef(true);
  const count = packets.length;

  // New packets while at the bottom: stay at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [count]);

  const reveal = useCallback((index: number) => {
    const el = scroller.current;
    if (!el) return;
    // Row `index` starts below the (sticky) header row.
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + 2 * ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
  }, []);

  const move = (index: number) => {
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, index));
    onSelect(next);
    reveal(next);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = VISIBLE_ROWS - 1;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selected + 1),
      ArrowUp: () => move(selected < 0 ? count - 1 : selected - 1),
      PageDown: () => move(selected + page),
      PageUp: () => move(selected - page),
      Home: () => move(0),
      End: () => move(count - 1),
      Enter: () => selected >= 0 && onOpen(selected),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, first + VISIBLE_ROWS + 2 * OVERSCAN);
  const rowId = (i: number) => `${id}-row-${i}`;
  const rows = [];
  for (let i = first; i < last; i++) {
    const p = packets[i]!;
    rows.push(
      <div
        key={p.no}
        id={rowId(i)}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={i === selected}
        className={`packet-row proto-${p.protocol.toLowerCase()}`}
        onClick={() => {
          onSelect(i);
          onOpen(i);
        }}
      >
        <span role="gridcell">{p.no}</span>
        <span role="gridcell">{relativeTime(p.ts, firstTs)}</span>
        <span role="gridcell">{p.src}</span>
        <span role="gridcell">{p.dst}</span>
        <span role="gridcell">{p.protocol}</span>
        <span role="gridcell">{p.len}</span>
        <span role="gridcell" title={p.info}>
          {p.info}
        </span>
      </div>,
    );
  }

  // The grid itself scrolls (so the keyboard reaches it), its header row sticks to the top.
  return (
    <>
      <div
        role="grid"
        ref={scroller}
        aria-label="Packets"
        aria-rowcount={count + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={selected >= first && selected < last ? rowId(selected) : undefined}
        aria-describedby={`${id}-keys`}
        tabIndex={0}
        className="packet-grid"
        style={{ height: (VISIBLE_ROWS + 1) * ROW_HEIGHT }}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
        }}
      >
        <div role="rowgroup" className="packet-head">
          <div role="row" aria-rowindex={1} className="packet-row">
            {COLUMNS.map((c) => (
              <span role="columnheader" key={c}>
                {c}
              </span>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          className="packet-body"
          style={{ paddingTop: first * ROW_HEIGHT, paddingBottom: (count - last) * ROW_HEIGHT }}
        >
          {rows}
        </div>
      </div>
      <p id={`${id}-keys`} className="visually-hidden">
        Arrow keys, Page Up, Page Down, Home and End move through the packets; Enter shows the selected one.
      </p>
    </>
  );
}
