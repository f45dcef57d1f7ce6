"use client";

import { mayType } from "~/protocol/roles";
import type { Presence, TerminalRole } from "~/protocol/terminalProtocol";
import { exitLine } from "./exitLine";
import { CLIPBOARD_HINT, LEAVE_HINT } from "./keys";
import { summarizePresence } from "./presence";
import type { ConnectionState } from "./socket";

/** A terminal's status line: which container, the connection, our role, who else is here, its keys. */
export function TerminalBar({
  terminal,
  state,
  role,
  you,
  presence,
  keysHintId,
}: {
  terminal: string;
  state: ConnectionState;
  role: TerminalRole | null;
  you: string | null;
  presence: Presence | null;
  keysHintId: string;
}) {
  const summary = presence && summarizePresence(presence, you);
  return (
    <div className="terminal-bar">
      <span>
        Terminal: <strong>{terminal}</strong>
      </span>
      <span className={`badge ${badgeClass(state)}`} data-testid="terminal-state" data-state={state.kind} role="status">
        {stateText(state)}
      </span>
      {role && !mayType(role) && (
        <span className="badge" data-testid="read-only" title="You are watching: what you type is not sent">
          read-only
        </span>
      )}
      {summary && (
        // Who is here, by display name: the line, and the list behind it for keyboard and screen-reader users too.
        <details className="presence" data-testid="presence">
          <summary>{summary.line}</summary>
          <ul aria-label="Connected to this terminal">
            {summary.detail.split("\n").map((who, i) => (
              <li key={i}>{who}</li>
            ))}
          </ul>
        </details>
      )}
      <span className="tagline" id={keysHintId}>
        {CLIPBOARD_HINT} · {LEAVE_HINT}
      </span>
    </div>
  );
}

function stateText(state: ConnectionState): string {
  if (state.kind === "closed" || state.kind === "resuming") return state.reason;
  if (state.kind === "exited") return exitLine(state);
  return state.kind;
}

function badgeClass(state: ConnectionState): string {
  if (state.kind === "connected") return "connected";
  if (state.kind === "closed" || (state.kind === "exited" && !state.reopen)) return "failed";
  return "";
}
