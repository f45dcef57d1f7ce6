"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  TERMINAL_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "~/shared/terminal-protocol";
import { useTRPC } from "~/trpc/react";

type ConnectionState = { kind: "connecting" } | { kind: "connected" } | { kind: "closed"; reason: string };

/** A live shell in one container of the session, streamed from the worker over socket.io. */
export function Terminal({ sessionId, terminal }: { sessionId: string; terminal: string }) {
  const trpc = useTRPC();
  const issueToken = useMutation(trpc.session.terminalToken.mutationOptions());
  const mountRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConnectionState>({ kind: "connecting" });
  const mintToken = useRef(issueToken.mutateAsync);
  mintToken.current = issueToken.mutateAsync;

  useEffect(() => {
    let disposed = false;
    let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
    const cleanups: (() => void)[] = [];

    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !mountRef.current) return;
      const term = new XTerm({ cursorBlink: true, convertEol: false, fontSize: 14, scrollback: 5000 });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(mountRef.current);
      fit.fit();
      cleanups.push(() => term.dispose());

      // The worker's address comes with the first token; every (re)connection mints a fresh token.
      const first = await mintToken.current({ sessionId, terminal });
      if (disposed) return;
      let pending: typeof first | undefined = first;
      socket = io(`${first.url}${TERMINAL_NAMESPACE}`, {
        transports: ["websocket"],
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
        auth: (cb) => {
          const use = (t: { token: string }) => cb({ token: t.token, sessionId, terminal });
          if (pending) {
            use(pending);
            pending = undefined;
          } else {
            mintToken.current({ sessionId, terminal }).then(use, (e: Error) => setState({ kind: "closed", reason: e.message }));
          }
        },
      });
      const s = socket;
      s.on("connect", () => {
        setState({ kind: "connected" });
        s.emit("resize", { cols: term.cols, rows: term.rows });
        term.focus();
      });
      s.on("connect_error", (err) => {
        setState({ kind: "closed", reason: err.message });
      });
      s.on("disconnect", (reason) => setState({ kind: "closed", reason: `disconnected (${reason}); reconnecting…` }));
      s.on("output", (data) => term.write(data));
      s.on("exit", ({ reason }) => term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`));
      s.on("error", ({ message }) => term.write(`\r\n\x1b[31m[${message}]\x1b[0m\r\n`));
      const input = term.onData((data) => s.emit("input", data));
      const resize = term.onResize(({ cols, rows }) => s.emit("resize", { cols, rows }));
      const onWindowResize = () => fit.fit();
      window.addEventListener("resize", onWindowResize);
      cleanups.push(() => {
        input.dispose();
        resize.dispose();
        window.removeEventListener("resize", onWindowResize);
      });
    })().catch((error: Error) => setState({ kind: "closed", reason: error.message }));

    return () => {
      disposed = true;
      socket?.disconnect();
      for (const cleanup of cleanups.reverse()) cleanup();
    };
  }, [sessionId, terminal]);

  return (
    <div>
      <div className="terminal-bar">
        <span>
          Terminal: <strong>{terminal}</strong>
        </span>
        <span
          className={`badge ${state.kind === "connected" ? "connected" : state.kind === "closed" ? "failed" : ""}`}
          data-testid="terminal-state"
          data-state={state.kind}
        >
          {state.kind === "closed" ? state.reason : state.kind}
        </span>
      </div>
      <div className="terminal-frame" ref={mountRef} data-testid="terminal" />
    </div>
  );
}
