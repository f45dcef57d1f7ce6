"use client";

import { useEffect, useRef } from "react";
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
  const { mountRef, ...shared } = useSharedTerminal(sessionId, terminal);
  const { send, focus } = shared;
  const injected = useRef(0);
  useEffect(() => {
    if (!inject || inject.id <= injected.current) return;
    injected.current = inject.id;
    send(inject.text);
    focus();
  }, [inject, send, focus]);
  return <TerminalView terminal={terminal} shared={shared} mountRef={mountRef} />;
}
