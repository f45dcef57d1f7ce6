"use client";

import { useEffect, useRef, useState } from "react";
import type { TerminalMode } from "~/core/sessions/issueTerminalToken";
import { INSTRUCTOR } from "~/protocol/roles";
import { TerminalView } from "./terminal/TerminalView";
import { useSharedTerminal } from "./terminal/useSharedTerminal";

/**
 * A live shell in one container of the session, shared with everyone connected to it (see
 * useSharedTerminal), with its status bar.
 */
export function Terminal({
  sessionId,
  terminal,
  inject,
}: {
  sessionId: string;
  terminal: string;
  /** Text to type into the shell (a clicked command, without Enter); typed once per id, then the terminal has the focus. */
  inject?: { id: number; text: string } | null;
}) {
  // An instructor watches (read-only) until they take over: then they reconnect to type, and
  // everyone else is read-only until they hand back.
  const [mode, setMode] = useState<TerminalMode>("watch");
  const { mountRef, ...shared } = useSharedTerminal(sessionId, terminal, mode);
  const { send, focus, takeover, role, you } = shared;
  // Typing mode holds the lock: taken on connecting, and again on every reconnection (a new `you`),
  // in case the gateway lost it meanwhile (a restarted worker); "Hand back" leaves typing mode.
  useEffect(() => {
    if (mode === "type" && role === INSTRUCTOR && you) takeover();
  }, [mode, role, you, takeover]);
  const injected = useRef(0);
  useEffect(() => {
    if (!inject || inject.id <= injected.current) return;
    injected.current = inject.id;
    send(inject.text);
    focus();
  }, [inject, send, focus]);
  return (
    <>
      {shared.canTakeOver && (
        <div className="terminal-takeover">
          {mode === "watch" ? (
            <button type="button" className="tab" onClick={() => setMode("type")}>
              Take over<span className="visually-hidden"> the {terminal} terminal (the learner becomes read-only)</span>
            </button>
          ) : (
            <button
              type="button"
              className="tab"
              onClick={() => {
                shared.release();
                setMode("watch");
              }}
            >
              Hand back<span className="visually-hidden"> the {terminal} terminal to the learner</span>
            </button>
          )}
          <span role="status" aria-live="polite">
            {mode === "type" ? "You have taken over: the learner is read-only." : "You are watching (read-only)."}
          </span>
        </div>
      )}
      <TerminalView terminal={terminal} shared={shared} mountRef={mountRef} />
    </>
  );
}
