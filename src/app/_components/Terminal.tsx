"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import {
  MAX_TERMINAL_SIZE,
  TERMINAL_NAMESPACE,
  type ClientToServerEvents,
  type Presence,
  type ServerToClientEvents,
  type TerminalRole,
} from "~/protocol/terminalProtocol";
import { useTRPC } from "~/trpc/react";

type ConnectionState = { kind: "connecting" } | { kind: "connected" } | { kind: "closed"; reason: string };

/**
 * A live shell in one container of the session, shared with everyone connected to it. Reconnects
 * with backoff and picks up exactly where it left off (or from a snapshot of the screen).
 */
export function Terminal({
  sessionId,
  terminal,
  inject,
}: {
  sessionId: string;
  terminal: string;
  /** Text to type into the shell (a clickable command); sent once per id. */
  inject?: { id: number; text: string } | null;
}) {
  const trpc = useTRPC();
  const issueToken = useMutation(trpc.session.terminalToken.mutationOptions());
  const mountRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConnectionState>({ kind: "connecting" });
  const [presence, setPresence] = useState<Presence | null>(null);
  const [role, setRole] = useState<TerminalRole | null>(null);
  const [you, setYou] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const injected = useRef(0);
  const mintToken = useRef(issueToken.mutateAsync);
  mintToken.current = issueToken.mutateAsync;

  useEffect(() => {
    let disposed = false;
    let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
    const cleanups: (() => void)[] = [];

    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }, { WebLinksAddon }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
        import("@xterm/addon-web-links"),
      ]);
      if (disposed || !mountRef.current) return;
      const term = new XTerm({ cursorBlink: true, fontSize: 14, scrollback: 5000 });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.loadAddon(new WebLinksAddon());
      term.open(mountRef.current);
      fit.fit();
      cleanups.push(() => term.dispose());

      // Copy and paste with Ctrl+Shift+C / Ctrl+Shift+V (Ctrl+C stays the shell's interrupt).
      term.attachCustomKeyEventHandler((event) => {
        if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
        if (event.code === "KeyC" && term.hasSelection()) {
          void navigator.clipboard?.writeText(term.getSelection());
          return false;
        }
        if (event.code === "KeyV") {
          void navigator.clipboard?.readText().then((text) => term.paste(text));
          return false;
        }
        return true;
      });

      const connection = new TerminalConnection({ reset: () => term.reset(), write: (data, done) => term.write(data, done) });
      connectionRef.current = connection;
      if (inject && inject.id > injected.current) {
        injected.current = inject.id;
        connection.send(inject.text); // held until the terminal is ready
      }
      // The worker's address comes with the first token; every (re)connection mints a fresh token.
      // The server issues this tab's client id with the first token; later tokens carry the same
      // one, so keystrokes resent after a reconnect are applied once. (Kept in memory: a reloaded
      // page is a new connection with its own input numbering, so it gets a new client id.)
      let clientId: string | undefined;
      const mint = async () => {
        const issued = await mintToken.current({ sessionId, terminal, clientId });
        clientId = issued.clientId;
        return issued;
      };
      const first = await mint();
      if (disposed) return;
      let pending: typeof first | undefined = first;
      socket = io(`${first.url}${TERMINAL_NAMESPACE}`, {
        transports: ["websocket"],
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
        auth: (cb) => {
          const use = (t: { token: string }) => cb({ token: t.token, sessionId, terminal, ...connection.handshake() });
          if (pending) {
            use(pending);
            pending = undefined;
          } else {
            mint().then(use, (e: Error) => setState({ kind: "closed", reason: e.message }));
          }
        },
      });
      const s = socket;
      connection.attach(s);
      // A window wider or taller than the largest shared size gets the largest (the rest stays blank).
      const sendSize = () =>
        s.emit("resize", { cols: Math.min(term.cols, MAX_TERMINAL_SIZE.cols), rows: Math.min(term.rows, MAX_TERMINAL_SIZE.rows) });
      s.on("connect", () => setState({ kind: "connected" }));
      s.on("snapshot", (m) => {
        setRole(m.role);
        setYou(m.you);
        term.options.disableStdin = m.role === "viewer";
        sendSize();
        term.focus();
      });
      // A network failure is retried by socket.io itself; a refusal by the gateway is not, so it
      // is retried here when waiting can help (too many reconnects, a full terminal, an old token).
      s.on("connect_error", (err) => {
        if (s.active) return setState({ kind: "closed", reason: `${err.message}; retrying…` });
        const waitMs = retryAfterRefusal((err as Error & { data?: { reason?: string } }).data?.reason);
        if (waitMs === null) return setState({ kind: "closed", reason: err.message });
        setState({ kind: "closed", reason: `${err.message}; retrying in ${Math.ceil(waitMs / 1000)} s…` });
        const timer = setTimeout(() => s.connect(), waitMs);
        cleanups.push(() => clearTimeout(timer));
      });
      s.on("disconnect", (reason) => setState({ kind: "closed", reason: `disconnected (${reason}); reconnecting…` }));
      s.on("presence", setPresence);
      s.on("exit", ({ reason }) => term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`));
      s.on("error", ({ message }) => setNotice(message));
      const input = term.onData((data) => connection.send(data));
      const resize = term.onResize(() => sendSize());
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

  useEffect(() => {
    if (!inject || inject.id <= injected.current || !connectionRef.current) return;
    injected.current = inject.id;
    connectionRef.current.send(inject.text);
  }, [inject]);

  const others = presence?.clients.length ?? 0;
  const yourHandle = presence?.clients.find((c) => c.id === you)?.handle;
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
        {role === "viewer" && (
          <span className="badge" data-testid="read-only">
            read-only
          </span>
        )}
        {presence && (
          <span
            data-testid="presence"
            title={presence.clients.map((c) => `${c.handle}${c.id === you ? " (you)" : ""} · ${c.role}`).join("\n")}
          >
            {others} connected
            {presence.lastTypist && ` · last typed by ${presence.lastTypist.handle}${presence.lastTypist.handle === yourHandle ? " (you)" : ""}`}
            {presence.lockedBy && ` · ${presence.lockedBy} (instructor) has taken over`}
          </span>
        )}
        <span className="tagline">Ctrl+Shift+C / Ctrl+Shift+V: copy / paste</span>
      </div>
      {notice && (
        <p className="error" role="status" onClick={() => setNotice(null)}>
          {notice}
        </p>
      )}
      <div className="terminal-frame" ref={mountRef} data-testid="terminal" />
    </div>
  );
}

/** How long to wait before reconnecting after the gateway refused us (null: waiting cannot help). */
function retryAfterRefusal(reason: string | undefined): number | null {
  if (reason === "rate-limited") return 3000; // the gateway allows a burst, then one every 2 s
  if (reason === "limit") return 5000; // the terminal or session is full
  if (reason === "expired") return 0; // every attempt mints a fresh token
  return null;
}
