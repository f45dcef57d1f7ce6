// One terminal's socket to the worker's gateway: a fresh token for every (re)connection, the
// client half of the protocol (TerminalConnection), and reconnecting after a refusal when waiting
// can help. socket.io retries network failures by itself. When the lab host restarts (the gateway's
// exit says `resume`), it reconnects by itself with backoff (ResumeLoop), asking for a fresh token
// each time, whose address may be another (then a new socket to it).
import { io, type Socket } from "socket.io-client";
import type { TerminalConnection } from "~/protocol/terminalConnection";
import {
  TERMINAL_NAMESPACE,
  type ClientToServerEvents,
  type Presence,
  type ServerToClientEvents,
  type TerminalExit,
  type TerminalRole,
  type TerminalSize,
  isResumableRefusal,
} from "~/protocol/terminalProtocol";
import { refusedForGood, ResumeLoop, retryAfterRefusal, type ResumeOutcome } from "./connection";
import { MOVED_LINE, RESUMING_LINE } from "./exitLine";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "closed"; reason: string }
  /** The shell ended (the gateway said why); `reopen`: Enter opens a new one. */
  | ({ kind: "exited" } & TerminalExit)
  /** The lab host is restarting: reconnecting by itself, with backoff. */
  | { kind: "resuming"; reason: string };

type TerminalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type IssuedToken = { token: string; url: string; clientId: string };

/** How long one resume attempt waits for its connection before the loop tries again. */
export const RESUME_ATTEMPT_MS = 15_000;

/** What the page hears from the socket. */
export type SocketListener = {
  state(state: ConnectionState): void;
  /** A (re)connection's snapshot arrived: who we are on this terminal. */
  joined(role: TerminalRole, you: string): void;
  presence(presence: Presence): void;
  /** The shell ended and the gateway disconnected us; `reopen`: reconnecting opens a new shell. */
  exited(exit: TerminalExit): void;
  /** The gateway refused something we sent (typing while read-only, too fast…). */
  notice(message: string): void;
};

/**
 * Mints terminal tokens. The server issues this tab's client id with the first token; later
 * tokens carry the same one, so keystrokes resent after a reconnect are applied once. (Kept in
 * memory: a reloaded page is a new connection with its own input numbering, so it gets a new one.)
 */
export function tokenSource(mint: (input: { clientId?: string }) => Promise<IssuedToken>) {
  let clientId: string | undefined;
  return async () => {
    const issued = await mint({ clientId });
    clientId = issued.clientId;
    return issued;
  };
}

/**
 * Opens the socket. `first`: a token already minted (it also carries the worker's address);
 * `size()`: the size to ask for, after every snapshot and whenever `resized()` is called.
 */
export function openTerminalSocket(options: {
  sessionId: string;
  terminal: string;
  first: IssuedToken;
  nextToken: () => Promise<IssuedToken>;
  connection: TerminalConnection;
  size: () => TerminalSize;
  listener: SocketListener;
}): { resized: () => void; close: () => void; takeover: () => void; release: () => void } {
  const { sessionId, terminal, connection, listener } = options;
  let pending: IssuedToken | undefined = options.first;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // Between the gateway's exit and our next connection attempt: its disconnect is not news.
  let exited = false;
  // The page is done with this terminal (close()): a token that arrives later opens nothing.
  let closed = false;
  // The resume attempt under way hears how its connection went.
  let attemptDone: ((outcome: ResumeOutcome) => void) | undefined;
  const settleAttempt = (outcome: ResumeOutcome) => {
    attemptDone?.(outcome);
    attemptDone = undefined;
  };

  const open = (url: string): TerminalSocket => {
    const socket: TerminalSocket = io(`${url}${TERMINAL_NAMESPACE}`, {
      transports: ["websocket"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      autoConnect: false,
      auth: (cb) => {
        const answer = (t: IssuedToken) => cb({ token: t.token, sessionId, terminal, ...connection.handshake() });
        exited = false;
        if (pending) {
          answer(pending);
          pending = undefined;
        } else {
          listener.state({ kind: "connecting" });
          options.nextToken().then(answer, (e: Error) => listener.state({ kind: "closed", reason: e.message }));
        }
      },
    });
    connection.attach(socket);
    socket.on("connect", () => {
      if (attemptDone) {
        // Back after the lab host restarted: socket.io retries network failures by itself again.
        socket.io.reconnection(true);
        connection.resumed();
        settleAttempt({ resumed: true });
      }
      listener.state({ kind: "connected" });
    });
    socket.on("snapshot", (m) => {
      listener.joined(m.role, m.you);
      sendSize();
    });
    // A refusal by the gateway is not retried by socket.io; it is here when waiting can help (too
    // many reconnects, a full terminal, an old token).
    socket.on("connect_error", (err) => {
      const reason = (err as Error & { data?: { reason?: string } }).data?.reason;
      if (attemptDone) {
        // A resume attempt: the lab host is not answering yet (try again later), or refused us.
        const unanswered = socket.active;
        if (unanswered) socket.disconnect();
        const later = unanswered || isResumableRefusal(reason) || retryAfterRefusal(reason) !== null;
        return settleAttempt(later ? { resumed: false } : { resumed: false, giveUp: err.message });
      }
      if (isResumableRefusal(reason)) {
        // The session was placed on another lab host (the next token names it: the resume loop follows
        // it), or this one is restarting.
        listener.state({ kind: "resuming", reason: reason === "other-worker" ? MOVED_LINE : RESUMING_LINE });
        return resumeLoop.start();
      }
      if (socket.active) return listener.state({ kind: "closed", reason: `${err.message}; retrying…` });
      const waitMs = retryAfterRefusal(reason);
      if (waitMs === null) return listener.state({ kind: "closed", reason: err.message });
      listener.state({ kind: "closed", reason: `${err.message}; retrying in ${Math.ceil(waitMs / 1000)} s…` });
      clearTimeout(retry);
      retry = setTimeout(() => current.connect(), waitMs);
    });
    socket.on("disconnect", (reason) => {
      if (!exited) listener.state({ kind: "closed", reason: `disconnected (${reason}); reconnecting…` });
    });
    socket.on("presence", (p) => listener.presence(p));
    socket.on("exit", (exit) => {
      exited = true;
      listener.exited(exit);
      if (exit.resume) {
        // The gateway disconnects us next; the resume loop, not socket.io, decides when to try again.
        socket.io.reconnection(false);
        listener.state({ kind: "resuming", reason: RESUMING_LINE });
        resumeLoop.start();
      }
    });
    socket.on("error", ({ message }) => listener.notice(message));
    return socket;
  };

  let url = options.first.url;
  let current = open(url);
  const sendSize = () => current.emit("resize", options.size());

  /**
   * One resume attempt: a fresh token (its address may have changed), then a connection to that address.
   * An attempt that hears nothing within RESUME_ATTEMPT_MS (a socket still connecting) counts as not
   * answered, so the loop's backoff and its 5-minute bound always apply.
   */
  const tryResume = () =>
    new Promise<ResumeOutcome>((resolve) => {
      options.nextToken().then(
        (issued) => {
          if (closed) return resolve({ resumed: false, giveUp: "closed" });
          const timeout = setTimeout(() => {
            if (attemptDone !== settle) return;
            attemptDone = undefined;
            current.disconnect();
            resolve({ resumed: false });
          }, RESUME_ATTEMPT_MS);
          const settle = (outcome: ResumeOutcome) => {
            clearTimeout(timeout);
            resolve(outcome);
          };
          attemptDone = settle;
          pending = issued;
          if (issued.url !== url) {
            current.removeAllListeners();
            current.disconnect();
            url = issued.url;
            current = open(url);
          }
          current.io.reconnection(false);
          current.connect();
        },
        (error: Error) => resolve(refusedForGood(error) ? { resumed: false, giveUp: error.message } : { resumed: false }),
      );
    });
  const resumeLoop = new ResumeLoop(tryResume, (result) => {
    if (!result.resumed) listener.state({ kind: "closed", reason: result.reason });
  });

  current.connect();
  return {
    resized: sendSize,
    /** An instructor's: everyone else becomes read-only until release (the gateway refuses anyone else). */
    takeover: () => current.emit("takeover"),
    release: () => current.emit("release"),
    close: () => {
      closed = true;
      clearTimeout(retry);
      resumeLoop.stop();
      attemptDone = undefined;
      current.disconnect();
    },
  };
}
