// One shell shared by any number of clients. The shell outlives its clients (it ends with the
// session or when it exits); a headless terminal keeps its screen so late joiners and
// reconnecting clients get the screen in one message; output is batched for a few ms and flow
// controlled (see flowControl.ts); keystrokes are sequenced per user and tab; every kind of event
// a client sends is rate limited (clientGuard.ts) and resizes are coalesced.
import { randomBytes } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { mayTakeOver, mayType } from "~/protocol/roles";
import {
  ackSchema,
  inputSchema,
  resizeSchema,
  type Presence,
  type TerminalError,
  type TerminalRole,
  type TerminalSize,
} from "~/protocol/terminalProtocol";
import type { TerminalStream } from "~/core/provisioner/port";
import { badRequest } from "./badRequests";
import { ClientGuard } from "./clientGuard";
import type { ClientInbox, ClientMessage } from "./clientInbox";
import { FlowControl } from "./flowControl";
import { InputSequencer } from "./inputSequencer";
import { inputRefusal, takeoverRefusal } from "./inputPolicy";
import { OutputRing } from "./outputRing";
import { Screen } from "./screen";
import { sharedSize } from "./sizePolicy";
import { TerminalMeter } from "../ops/terminalMeter";
import type { TerminalSocket } from "./terminalSocket";

export type { TerminalSocket };
/**
 * Who joins, from their verified token: the user id and tab client id stay on the server (they
 * key input sequencing); only the handle and an opaque per-connection id are shown to others.
 */
export type Joiner = { userId: string; clientId: string; handle: string; role: TerminalRole; resumeFrom?: number };

export const terminalLimits = {
  batchMs: 4,
  batchBytes: 64 * 1024,
  ringBytes: 256 * 1024,
  scrollback: 1000,
  flow: { high: 256 * 1024, low: 64 * 1024, viewerLimit: 1024 * 1024 },
  /** Size changes reach the screen and the shell at most this often; the last one wins. */
  resizeEveryMs: 100,
  /** Input sequences remembered per terminal (user and tab pairs), and per user. */
  inputClients: 1000,
  inputClientsPerUser: 20,
};

type Client = Joiner & {
  socket: TerminalSocket;
  presenceId: string;
  inputKey: string;
  size?: TerminalSize;
  /** The last resize refused by the rate limit, applied (if valid) at the next coalesced resize. */
  droppedResize?: unknown;
  guard: ClientGuard;
};

const SCREEN = "\0screen"; // the headless terminal, a flow-control peer like a driver
/** What a client's xterm sends by itself in answer to a query: cursor position and device attributes. */
const TERMINAL_REPLY = /^(?:\x1b\[\d+;\d+R|\x1b\[[?>][\d;]*c)+$/;

export class SharedTerminal {
  /** Input from a client reached the shell (the hub records the session's activity, throttled). */
  onTyped: (() => void) | undefined;
  private readonly screen: Screen;
  private readonly decoder = new StringDecoder("utf8");
  private readonly ring = new OutputRing(terminalLimits.ringBytes);
  private readonly flow = new FlowControl(terminalLimits.flow);
  /** Bytes in and out, and the echo latency, for the metrics (worker/ops/terminalMeter.ts). */
  private readonly meter = new TerminalMeter();
  private readonly inputs = new InputSequencer(terminalLimits.inputClients, terminalLimits.inputClientsPerUser, (key) =>
    [...this.clients.values()].some((c) => c.inputKey === key),
  );
  private readonly clients = new Map<string, Client>();
  private batch = "";
  private batchTimer: NodeJS.Timeout | undefined;
  private lastFlushBytes = 0;
  private parsed = 0;
  private paused = false;
  private closed = false;
  private size: TerminalSize = { cols: 80, rows: 24 };
  private resizeTimer: NodeJS.Timeout | undefined;
  private lastResizeAt = -Infinity;
  private lockedBy: { userId: string; handle: string } | null = null;
  private lastTypist: { userId: string; handle: string; at: number } | null = null;
  /** Counters for tests and metrics. */
  readonly stats = { resizesReceived: 0, shellResizes: 0, snapshots: 0 };

  constructor(
    private readonly shell: TerminalStream,
    private readonly onClosed: () => void,
    /** The clients' rate limits' clock (tests set it; performance.now otherwise). */
    private readonly now?: () => number,
    /** Why the shell ended when it is not simply its exit (its container was removed), asked once it ends. */
    private readonly endReason?: () => Promise<string | undefined>,
  ) {
    // The server's screen answers the shell's terminal queries (busybox asks for the cursor
    // position at every prompt); clients' own answers are dropped, or every viewer would answer.
    this.screen = new Screen(this.size, terminalLimits.scrollback, (reply) => this.shell.stream.write(reply));
    this.flow.add(SCREEN, { offset: 0, backpressure: true });
    shell.stream.on("data", (chunk: Buffer) => this.onOutput(chunk));
    shell.stream.on("close", () => this.ended("shell exited"));
    shell.stream.on("error", () => this.ended("the connection to the shell failed"));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Bytes held for this terminal beyond the screen itself (for tests and metrics). */
  get bufferedBytes(): number {
    return this.batch.length + this.flow.backlog(SCREEN);
  }

  /** Adds a client; its events, those that arrived while the shell was opening first, come from `inbox`. */
  async join(socket: TerminalSocket, joiner: Joiner, inbox: ClientInbox): Promise<void> {
    const client: Client = {
      ...joiner,
      socket,
      presenceId: randomBytes(6).toString("hex"),
      // Sequencing is per user and tab: another user presenting the same client id is someone else.
      inputKey: `${joiner.userId}\n${joiner.clientId}`,
      guard: new ClientGuard((error) => socket.emit("error", error), this.now),
    };
    this.clients.set(socket.id, client);
    inbox.open((message) => this.onMessage(client, message));
    socket.on("disconnect", () => {
      this.clients.delete(socket.id);
      this.flow.remove(socket.id);
      this.releaseIfHolderLeft();
      this.scheduleSize();
      this.updateBackpressure();
      this.broadcastPresence();
    });
    const drives = mayType(joiner.role);
    const from = joiner.resumeFrom;
    if (from !== undefined && this.ring.since(from) !== undefined) {
      this.flow.add(socket.id, { offset: from, backpressure: drives });
      this.catchUp(client, from);
      socket.emit("inputAck", { seq: this.inputs.lastApplied(client.inputKey) });
    } else {
      await this.sendSnapshot(client, drives);
    }
    this.broadcastPresence();
  }

  /** The shell ended by itself: a new one may be opened (reopen), unless its container went with it. */
  private ended(otherwise: string) {
    if (!this.endReason) return this.close(otherwise, true);
    void this.endReason().then(
      (reason) => (reason === undefined ? this.close(otherwise, true) : this.close(reason, false)),
      () => this.close(otherwise, true),
    );
  }

  /**
   * Ends the terminal for every client. `reopen`: the container still runs, so reconnecting opens a new shell;
   * `resume`: the lab host is restarting, so clients reconnect by themselves until it is back.
   */
  close(reason: string, reopen = false, resume = false) {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.batchTimer);
    clearTimeout(this.resizeTimer);
    for (const { socket } of this.clients.values()) {
      socket.emit("exit", { reason, reopen, ...(resume ? { resume: true as const } : {}) });
      socket.disconnect(true);
    }
    this.clients.clear();
    void this.shell.close();
    this.screen.dispose();
    this.onClosed();
  }

  private async sendSnapshot(client: Client, drives: boolean) {
    // Wait until the screen has parsed everything received so far, then serialise it.
    await this.screen.settled();
    if (this.closed || !this.clients.has(client.socket.id)) return;
    const seq = this.parsed;
    this.flow.remove(client.socket.id);
    this.flow.add(client.socket.id, { offset: seq, backpressure: drives });
    this.stats.snapshots++;
    client.socket.emit("snapshot", {
      data: this.screen.serialize(seq),
      seq,
      cols: this.size.cols,
      rows: this.size.rows,
      inputSeq: this.inputs.lastApplied(client.inputKey),
      role: client.role,
      you: client.presenceId,
    });
    this.catchUp(client, seq);
  }

  /** Sends what was already flushed to others after `from`; the pending batch follows with the rest. */
  private catchUp(client: Client, from: number) {
    const text = this.ring.since(from) ?? "";
    const flushed = text.length - this.batch.length;
    if (flushed > 0) this.send(client, text.slice(0, flushed));
  }

  private onOutput(chunk: Buffer) {
    this.meter.printed(chunk.length);
    const text = this.decoder.write(chunk);
    if (!text || this.closed) return;
    this.ring.append(text);
    const end = this.ring.end;
    this.flow.sent(SCREEN, end);
    this.screen.write(text, () => {
      this.parsed = end;
      this.flow.acked(SCREEN, end);
      this.updateBackpressure();
    });
    this.batch += text;
    // Small output outside a burst (an echo, a prompt) goes out at once; bursts are batched.
    const interactive = !this.batchTimer && this.batch.length <= 1024 && this.lastFlushBytes <= 1024;
    if (interactive || this.batch.length >= terminalLimits.batchBytes) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), terminalLimits.batchMs);
    this.updateBackpressure();
  }

  private flush() {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;

    if (!this.batch) return;
    const data = this.batch;
    this.batch = "";
    this.lastFlushBytes = data.length;
    for (const client of this.clients.values()) if (this.flow.canSend(client.socket.id)) this.send(client, data);
    this.updateBackpressure();
  }

  private send(client: Client, data: string) {
    const seq = this.ring.end - this.batch.length;
    client.socket.emit("output", { seq, data });
    this.flow.sent(client.socket.id, seq);
  }

  private updateBackpressure() {
    const pause = this.flow.shouldPause();
    if (pause === this.paused || this.closed) return;
    this.paused = pause;
    if (pause) this.shell.stream.pause();
    else this.shell.stream.resume();
  }

  /** One event from a client; payloads are validated here (a client may send anything). */
  private onMessage(client: Client, message: ClientMessage) {
    const { guard } = client;
    switch (message.event) {
      case "input":
        return this.onInput(client, message.args[0]);
      case "resize":
        // Over its limit, a resize is not even parsed: the last one is kept and applied with the next batch.
        if (guard.allow("resize")) return this.onResize(client, message.args[0]);
        client.droppedResize = message.args[0];
        return this.scheduleSize();
      case "ack":
        if (guard.allow("ack")) this.onAck(client, message.args[0]);
        return;
      case "takeover":
      case "release":
        if (guard.allow("other")) this.setLock(client, message.event === "takeover");
        return;
      case null:
        if (guard.allow("other")) this.reject(client, badRequest.unknownEvent(message.name));
        return;
    }
  }

  private onAck(client: Client, message: unknown) {
    const parsed = ackSchema.safeParse(message);
    if (!parsed.success) return this.reject(client, badRequest.ack);
    if (this.flow.acked(client.socket.id, parsed.data.seq) === "resync") void this.sendSnapshot(client, mayType(client.role));
    this.updateBackpressure();
  }

  private onInput(client: Client, message: unknown) {
    // Every input message counts against the client's rate, whatever becomes of it.
    if (!client.guard.allow("input")) return;
    const parsed = inputSchema.safeParse(message);
    if (!parsed.success) return this.reject(client, badRequest.input);
    const { seq, data } = parsed.data;
    // Viewers are not sequenced (their numbers are nobody's and cost nothing): refused at once.
    const verdict = mayType(client.role) ? this.inputs.accept(client.inputKey, client.userId, seq) : "apply";
    if (verdict === "gap") return this.reject(client, badRequest.gap(seq, this.inputs.lastApplied(client.inputKey) + 1));
    // A refused keystroke is still consumed (and acknowledged): the client does not resend it.
    if (verdict === "apply" && !(mayType(client.role) && TERMINAL_REPLY.test(data))) {
      const refusal = inputRefusal(
        { role: client.role, lockedBy: this.lockedBy?.handle ?? null, bytesAvailable: client.guard.inputBytesAvailable() },
        data.length,
      );
      if (refusal) this.reject(client, refusal);
      else this.type(client, data);
    }
    client.socket.emit("inputAck", { seq });
  }

  private type(client: Client, data: string) {
    client.guard.spendInputBytes(data.length);
    this.shell.stream.write(data);
    this.meter.typed(data);
    this.onTyped?.();
    const changed = this.lastTypist?.userId !== client.userId;
    this.lastTypist = { userId: client.userId, handle: client.handle, at: Date.now() };
    if (changed) this.broadcastPresence();
  }

  private onResize(client: Client, size: unknown) {
    const parsed = resizeSchema.safeParse(size);
    if (!parsed.success) return this.reject(client, badRequest.resize);
    this.stats.resizesReceived++;
    client.size = parsed.data;
    client.droppedResize = undefined; // older than this one
    this.scheduleSize();
  }

  /** Applies the shared size now, or once `resizeEveryMs` has passed since the last time. */
  private scheduleSize() {
    if (this.resizeTimer || this.closed) return;
    const wait = this.lastResizeAt + terminalLimits.resizeEveryMs - performance.now();
    if (wait <= 0) return this.applySize();
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = undefined;
      this.applySize();
    }, wait);
  }

  private applySize() {
    for (const client of this.clients.values()) {
      if (client.droppedResize === undefined) continue;
      const parsed = resizeSchema.safeParse(client.droppedResize);
      client.droppedResize = undefined;
      if (parsed.success) client.size = parsed.data;
    }
    const next = sharedSize(
      [...this.clients.values()].map((c) => ({ ...(c.size ? { size: c.size } : {}), drives: mayType(c.role) })),
      this.size,
    );
    if (next.cols === this.size.cols && next.rows === this.size.rows) return;
    this.size = next;
    this.lastResizeAt = performance.now();
    this.stats.shellResizes++;
    this.screen.resize(next);
    this.shell.resize(next).catch(() => {});
    this.broadcastPresence();
  }

  private setLock(client: Client, lock: boolean) {
    const refusal = takeoverRefusal(client.role);
    if (refusal) return this.reject(client, refusal);
    this.lockedBy = lock ? { userId: client.userId, handle: client.handle } : null;
    this.broadcastPresence();
  }

  /**
   * A takeover lasts while its holder is here: once their last connection that may take over is
   * gone, the lock goes with it and the learner types again. (The instructor's page takes the lock
   * again when it reconnects, so a brief drop costs nothing.)
   */
  private releaseIfHolderLeft() {
    const holder = this.lockedBy;
    if (!holder) return;
    for (const c of this.clients.values()) if (c.userId === holder.userId && mayTakeOver(c.role)) return;
    this.lockedBy = null;
  }

  private reject(client: Client, error: TerminalError) {
    client.guard.refuse(error);
  }

  /** Handles and opaque ids only: never a user id, a client id or a token. */
  private broadcastPresence() {
    if (this.closed) return;
    const presence: Presence = {
      clients: [...this.clients.values()].map(({ presenceId, handle, role }) => ({ id: presenceId, handle, role })),
      lastTypist: this.lastTypist && { handle: this.lastTypist.handle, at: this.lastTypist.at },
      size: this.size,
      lockedBy: this.lockedBy?.handle ?? null,
    };
    for (const { socket } of this.clients.values()) socket.emit("presence", presence);
  }
}
