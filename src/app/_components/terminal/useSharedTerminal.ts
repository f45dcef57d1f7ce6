"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { mayType } from "~/protocol/roles";
import { TerminalConnection } from "~/protocol/terminalConnection";
import type { Presence, TerminalRole } from "~/protocol/terminalProtocol";
import type { TerminalMode } from "~/core/sessions/issueTerminalToken";
import { useTRPC } from "~/trpc/react";
import { sharedSize } from "./connection";
import { exitLine } from "./exitLine";
import { openTerminalSocket, tokenSource, type ConnectionState } from "./socket";
import { bindKeys, openXterm } from "./xterm";

export type SharedTerminal = {
  /** Attach to the element xterm draws in. */
  mountRef: React.RefObject<HTMLDivElement | null>;
  /** The id to give the element that explains the terminal's keys (its textarea points at it). */
  keysHintId: string;
  state: ConnectionState;
  /** Our role on this terminal, once the gateway has said (null before the first snapshot). */
  role: TerminalRole | null;
  /** This connection's id in presence. */
  you: string | null;
  presence: Presence | null;
  /** The gateway's last complaint about something we sent, until dismissed. */
  notice: string | null;
  dismissNotice: () => void;
  /**
   * Types `text` into the shell on the learner's behalf (a clicked command): held until the
   * terminal is ready, resent after a reconnect; a shell that exited is replaced by a new one first.
   */
  send: (text: string) => void;
  /**
   * Moves the keyboard's focus into the terminal (at once, or as soon as xterm has loaded). The
   * terminal never takes the focus by itself: only when the learner chooses it (a tab, a typed command).
   */
  focus: () => void;
  /** The class's instructor watching a learner's terminal: they may take it over. */
  canTakeOver: boolean;
  /** An instructor connected to type: make everyone else read-only; release gives it back. */
  takeover: () => void;
  release: () => void;
};

/**
 * A live shell in one container of the session, shared with everyone connected to it: xterm,
 * a token per (re)connection, the socket to the worker, resizing and cleanup. Reconnects with
 * backoff and picks up exactly where it left off (or from a snapshot of the screen); while the lab
 * host restarts it says so and reconnects by itself (socket.ts), for up to 5 minutes.
 */
export function useSharedTerminal(sessionId: string, terminal: string, mode?: TerminalMode): SharedTerminal {
  const trpc = useTRPC();
  const issueToken = useMutation(
    trpc.session.terminalToken.mutationOptions({
      // A request the network lost (no answer from the server: "Failed to fetch") is tried again; a refusal is not.
      retry: (failures, error) => failures < 3 && !error.data,
      retryDelay: (failures) => 500 * 2 ** failures,
    }),
  );
  const mintToken = useRef(issueToken.mutateAsync);
  useEffect(() => {
    mintToken.current = issueToken.mutateAsync;
  }, [issueToken.mutateAsync]);
  const mountRef = useRef<HTMLDivElement>(null);
  const keysHintId = useId();
  const [state, setState] = useState<ConnectionState>({ kind: "connecting" });
  const [presence, setPresence] = useState<Presence | null>(null);
  const [self, setSelf] = useState<{ role: TerminalRole; you: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [canTakeOver, setCanTakeOver] = useState(false);
  const lockRef = useRef<{ takeover: () => void; release: () => void } | null>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const focusRef = useRef<(() => void) | null>(null);
  // focus() asked before xterm had loaded: it focuses once it has.
  const focusWanted = useRef(false);
  // Text sent before xterm has loaded waits here for the connection.
  const early = useRef<string[]>([]);

  const send = useCallback((text: string) => {
    if (connectionRef.current) connectionRef.current.type(text);
    else early.current.push(text);
  }, []);

  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];

    void (async () => {
      const mount = mountRef.current;
      if (!mount) return;
      const xterm = await openXterm(mount, () => disposed);
      if (!xterm) return;
      const { term, fit } = xterm;
      cleanups.push(() => term.dispose());
      focusRef.current = () => term.focus();
      cleanups.push(() => (focusRef.current = null));
      if (focusWanted.current) term.focus();
      focusWanted.current = false;
      cleanups.push(bindKeys(term, keysHintId));

      const connection = new TerminalConnection({ reset: () => term.reset(), write: (data, done) => term.write(data, done) });
      connectionRef.current = connection;
      cleanups.push(() => {
        if (connectionRef.current === connection) connectionRef.current = null;
      });
      for (const text of early.current.splice(0)) connection.type(text);
      const input = term.onData((data) => connection.send(data));
      // A viewer's keys never reach onData (stdin is off), but Enter still opens a new shell after an exit.
      const enter = term.onKey(({ domEvent }) => {
        if (term.options.disableStdin && domEvent.key === "Enter") connection.reopen();
      });
      cleanups.push(() => {
        input.dispose();
        enter.dispose();
      });

      const nextToken = tokenSource(async ({ clientId }) => {
        const issued = await mintToken.current({ sessionId, terminal, clientId, ...(mode ? { mode } : {}) });
        setCanTakeOver(issued.canTakeOver);
        return issued;
      });
      const first = await nextToken();
      if (disposed) return;
      const socket = openTerminalSocket({
        sessionId,
        terminal,
        first,
        nextToken,
        connection,
        size: () => sharedSize(term.cols, term.rows),
        listener: {
          state: setState,
          joined: (role, you) => {
            setSelf({ role, you });
            term.options.disableStdin = !mayType(role);
          },
          presence: setPresence,
          exited: (exit) => {
            setState({ kind: "exited", ...exit });
            term.write(`\r\n\x1b[33m[${exitLine(exit)}]\x1b[0m\r\n`);
          },
          notice: setNotice,
        },
      });
      cleanups.push(socket.close);
      lockRef.current = socket;
      cleanups.push(() => (lockRef.current = null));
      const resize = term.onResize(socket.resized);
      // Fitted to its frame whenever the frame changes size (a window resized, the layout stacked on a phone).
      const frame = new ResizeObserver(() => fit.fit());
      frame.observe(mount);
      cleanups.push(() => {
        resize.dispose();
        frame.disconnect();
      });
    })().catch((error: Error) => setState({ kind: "closed", reason: error.message }));

    return () => {
      disposed = true;
      for (const cleanup of cleanups.reverse()) cleanup();
    };
  }, [sessionId, terminal, keysHintId, mode]);

  return {
    mountRef,
    keysHintId,
    state,
    role: self?.role ?? null,
    you: self?.you ?? null,
    presence,
    notice,
    dismissNotice: useCallback(() => setNotice(null), []),
    send,
    focus: useCallback(() => {
      if (focusRef.current) focusRef.current();
      else focusWanted.current = true;
    }, []),
    canTakeOver,
    takeover: useCallback(() => lockRef.current?.takeover(), []),
    release: useCallback(() => lockRef.current?.release(), []),
  };
}
