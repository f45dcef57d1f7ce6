// The browser's side of the worker's `/capture` namespace for one session: one socket on the same
// socket.io Manager as the terminals (same worker address, so socket.io multiplexes both namespaces
// over one connection), a fresh capture token for every (re)connection, the session's captures, the
// packets of the captures this page follows, and start/stop. Shared by every component of the page
// that asks for the same session (the topology's "Capture on IFACE" and the panel), ref-counted.
import { io, type Socket } from "socket.io-client";
import {
  CAPTURE_NAMESPACE,
  type CaptureAck,
  type CaptureClientToServerEvents,
  type CapturedPacket,
  type CaptureInfo,
  type CaptureServerToClientEvents,
} from "~/protocol/terminalProtocol";
import { announce } from "./announce";

type CaptureSocket = Socket<CaptureServerToClientEvents, CaptureClientToServerEvents>;

/** A capture token and the worker's address (`capture.token`). */
export type CaptureToken = { token: string; url: string };

export type CaptureConnection = { kind: "connecting" } | { kind: "connected" } | { kind: "closed"; reason: string };

export type CaptureSnapshot = {
  connection: CaptureConnection;
  captures: CaptureInfo[];
  /** The capture the panel shows: the one this page started last, else the newest running one. */
  focusId: string | null;
  /** Packets received per followed capture (arrays grow in place; `version` changes with them). */
  packets: ReadonlyMap<string, CapturedPacket[]>;
  /** The polite live region's sentence (a capture started/ended). */
  announcement: string;
  /** The gateway's last refusal of something we sent, until dismissed. */
  notice: string | null;
  version: number;
};

/** How long start/stop wait for the worker's answer. */
export const CAPTURE_ACK_MS = 15_000;

/** socket.io gives binary as ArrayBuffer in browsers, Buffer in Node: always a Uint8Array here. */
export function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array();
}

/**
 * Adds a batch to what was received: `from` is the `no` of its first packet. A batch that repeats
 * packets we have (everything kept, sent again after a reconnect) replaces them from there on.
 */
export function mergeBatch(list: CapturedPacket[], from: number, batch: readonly CapturedPacket[]): void {
  let keep = list.length;
  while (keep > 0 && list[keep - 1]!.no >= from) keep--;
  list.length = keep;
  for (const p of batch) list.push({ ...p, data: asBytes(p.data) });
}

export class CaptureClient {
  private socket: CaptureSocket | null = null;
  private listeners = new Set<() => void>();
  private followed = new Set<string>();
  private startedHere: string | null = null;
  private snapshot: CaptureSnapshot = {
    connection: { kind: "connecting" },
    captures: [],
    focusId: null,
    packets: new Map(),
    announcement: "",
    notice: null,
    version: 0,
  };

  constructor(
    private readonly sessionId: string,
    /** Mints a capture token; replaced by the page's latest (setMint). */
    private mint: () => Promise<CaptureToken>,
  ) {}

  setMint(mint: () => Promise<CaptureToken>) {
    this.mint = mint;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.snapshot;

  private update(change: Partial<CaptureSnapshot>) {
    this.snapshot = { ...this.snapshot, ...change, version: this.snapshot.version + 1 };
    for (const l of this.listeners) l();
  }

  /** Connects (once): the first token names the worker; every reconnection mints a new one. */
  open() {
    if (this.socket) return;
    this.update({ connection: { kind: "connecting" } });
    this.mint().then(
      (first) => this.connect(first),
      (e: Error) => this.update({ connection: { kind: "closed", reason: e.message } }),
    );
  }

  private connect(first: CaptureToken) {
    let pending: CaptureToken | undefined = first;
    const socket: CaptureSocket = io(`${first.url}${CAPTURE_NAMESPACE}`, {
      transports: ["websocket"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      autoConnect: false,
      auth: (cb) => {
        const answer = (t: CaptureToken) => cb({ token: t.token, sessionId: this.sessionId });
        if (pending) {
          answer(pending);
          pending = undefined;
        } else {
          this.mint().then(answer, (e: Error) => this.update({ connection: { kind: "closed", reason: e.message } }));
        }
      },
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.update({ connection: { kind: "connected" } });
      // The worker forgets who followed what with the connection: follow again (it resends what it kept).
      for (const id of this.followed) socket.emit("subscribe", { captureId: id });
    });
    socket.on("connect_error", (err) => {
      const reason = socket.active ? `${err.message}; retrying…` : err.message;
      this.update({ connection: { kind: "closed", reason } });
    });
    socket.on("disconnect", (why) => {
      if (why === "io client disconnect") return;
      // The worker closing it (the session ended) is not retried by socket.io; a lost connection is.
      const reason =
        why === "io server disconnect" ? "the lab host closed the capture connection" : `disconnected (${why}); reconnecting…`;
      this.update({ connection: { kind: "closed", reason } });
    });
    socket.on("captures", (list) => this.captures(list));
    socket.on("packets", ({ captureId, from, packets }) => {
      if (!this.followed.has(captureId)) return;
      const map = new Map(this.snapshot.packets);
      const list = map.get(captureId) ?? [];
      mergeBatch(list, from, packets);
      map.set(captureId, list);
      this.update({ packets: map });
    });
    socket.on("error", ({ message }) => this.update({ notice: message }));
    socket.connect();
  }

  private captures(list: CaptureInfo[]) {
    const said = announce(this.snapshot.captures, list);
    let focusId = this.snapshot.focusId;
    if (!focusId || !list.some((c) => c.id === focusId)) {
      const newestRunning = [...list].filter((c) => c.state === "running").sort((a, b) => b.startedAt - a.startedAt)[0];
      focusId = (list.some((c) => c.id === this.startedHere) ? this.startedHere : newestRunning?.id) ?? list.at(-1)?.id ?? null;
    }
    this.update({ captures: list, ...(said ? { announcement: said } : {}) });
    if (focusId !== this.snapshot.focusId) this.focus(focusId);
  }

  /** Shows (and follows) a capture: the worker sends everything it kept, then live packets. */
  focus(captureId: string | null) {
    if (captureId && !this.followed.has(captureId)) {
      this.followed.add(captureId);
      const map = new Map(this.snapshot.packets);
      map.set(captureId, []);
      this.update({ packets: map });
      this.socket?.emit("subscribe", { captureId });
    }
    this.update({ focusId: captureId });
  }

  /** Sends a start/stop and waits (bounded) for the worker's answer. */
  private ask(send: (socket: CaptureSocket, done: (err: Error | null, ack: CaptureAck) => void) => void): Promise<CaptureAck> {
    const socket = this.socket;
    if (!socket)
      return Promise.resolve({ ok: false, error: { code: "unavailable", message: "not connected to the lab host yet" } });
    return new Promise((resolve) =>
      send(socket, (err, ack) =>
        resolve(err ? { ok: false, error: { code: "unavailable", message: "the lab host did not answer in time" } } : ack),
      ),
    );
  }

  /** Starts a capture on `container`'s `iface`; on success the panel shows it. */
  async start(container: string, iface: string): Promise<CaptureAck> {
    const ack = await this.ask((s, done) => s.timeout(CAPTURE_ACK_MS).emit("start", { container, iface }, done));
    if (ack.ok) {
      this.startedHere = ack.captureId;
      this.focus(ack.captureId);
    } else {
      this.update({ notice: ack.error.message });
    }
    return ack;
  }

  /** Ends a capture for everyone watching it. */
  async stop(captureId: string): Promise<CaptureAck> {
    const ack = await this.ask((s, done) => s.timeout(CAPTURE_ACK_MS).emit("stop", { captureId }, done));
    if (!ack.ok) this.update({ notice: ack.error.message });
    return ack;
  }

  dismissNotice() {
    this.update({ notice: null });
  }

  /** After a refusal socket.io does not retry: try again with a fresh token. */
  retry() {
    if (!this.socket) return this.open();
    if (!this.socket.connected) this.socket.connect();
  }

  close() {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.listeners.clear();
  }
}

// One client per session for the whole page, closed when its last user lets go.
const clients = new Map<string, { client: CaptureClient; users: number; closing?: ReturnType<typeof setTimeout> }>();

export function acquireCaptureClient(sessionId: string, mint: () => Promise<CaptureToken>): CaptureClient {
  let entry = clients.get(sessionId);
  if (!entry) {
    entry = { client: new CaptureClient(sessionId, mint), users: 0 };
    clients.set(sessionId, entry);
  }
  clearTimeout(entry.closing);
  entry.users++;
  entry.client.setMint(mint);
  return entry.client;
}

export function releaseCaptureClient(sessionId: string) {
  const entry = clients.get(sessionId);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  // A component that unmounts and mounts again at once (React's strict mode, a re-layout) keeps the socket.
  entry.closing = setTimeout(() => {
    if (entry.users > 0) return;
    clients.delete(sessionId);
    entry.client.close();
  }, 1000);
}
