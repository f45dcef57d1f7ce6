// The client half of the terminal protocol, shared by the browser's terminal and the tests:
// renders snapshots and output exactly once (by offset), acknowledges what was rendered, numbers
// keystrokes and resends unacknowledged ones after a reconnect, which resumes from its offset.
// When the shell exits and the gateway offers a new one, Enter (or text typed on the learner's
// behalf) reconnects, and the new shell starts from a fresh snapshot. When the lab host is
// restarting (`resume`), the socket's owner reconnects by itself and calls `resumed()`.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, TerminalExit, TerminalRole } from "./terminalProtocol";

export type Renderer = {
  reset(): void;
  /** Writes to the screen and calls `done` once it is rendered (xterm's write callback). */
  write(data: string, done: () => void): void;
};

type TerminalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_EVERY = 32 * 1024;

export class TerminalConnection {
  /** Output offset rendered so far; -1 before the first snapshot. */
  offset = -1;
  role: TerminalRole | undefined;
  /** This connection's id in presence (from the last snapshot). */
  you: string | undefined;
  /** How the shell ended, until a new one is opened (`reopen`). */
  exited: TerminalExit | undefined;
  private nextInput = 1;
  private unacked: { seq: number; data: string }[] = [];
  private lastAcked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private socket: TerminalSocket | undefined;
  private ready = false;

  /** Who we are comes from the terminal token (its client id is kept by the tab, not here). */
  constructor(private readonly renderer: Renderer) {}

  /** What to put in the handshake next to the token: what we already have. */
  handshake(): { resumeFrom?: number } {
    return this.offset >= 0 ? { resumeFrom: this.offset } : {};
  }

  /** Attaches to a socket (again, to a new one, when the lab host's address changed). */
  attach(socket: TerminalSocket) {
    this.socket = socket;
    this.ready = false;
    // The server is ready for input once it has sent a snapshot (new client) or acknowledged our
    // inputs (resumed client); until then keystrokes wait here, and go out in order.
    socket.on("connect", () => (this.ready = false));
    socket.on("disconnect", () => (this.ready = false));
    socket.on("snapshot", (m) => {
      this.role = m.role;
      this.you = m.you;
      this.renderer.reset();
      this.offset = m.seq;
      this.lastAcked = m.seq; // offsets restart when a new shell replaced one that exited
      this.renderer.write(m.data, () => this.rendered(m.seq));
      this.inputAcked(m.inputSeq);
      this.becomeReady();
    });
    socket.on("output", ({ seq, data }) => {
      const start = seq - data.length;
      if (this.offset < 0 || seq <= this.offset) return; // before our snapshot, or already shown
      if (start > this.offset) {
        // A hole we cannot fill: ask for a fresh snapshot.
        this.offset = -1;
        socket.disconnect().connect();
        return;
      }
      const text = data.slice(this.offset - start);
      this.offset = seq;
      this.renderer.write(text, () => this.rendered(seq));
    });
    socket.on("inputAck", ({ seq }) => {
      this.inputAcked(seq);
      this.becomeReady();
    });
    socket.on("exit", (info) => {
      // That shell is gone: its offsets and the keystrokes it never read mean nothing to the next.
      this.exited = info;
      this.offset = -1;
      this.unacked = [];
      this.ready = false;
    });
  }

  /**
   * Opens a new shell after an exit that offers one: reconnects (a new token, a fresh snapshot). False when there
   * is none to open, or when the lab host is restarting (the socket's owner reconnects by itself).
   */
  reopen(): boolean {
    if (!this.exited?.reopen || this.exited.resume) return false;
    this.exited = undefined;
    // (The gateway disconnects right after the exit; a key pressed before that lands must not be lost.)
    if (this.socket?.connected) this.socket.disconnect();
    this.socket?.connect();
    return true;
  }

  /** The lab host is back and we reconnected: keys go to the new shell (after its snapshot). */
  resumed() {
    this.exited = undefined;
  }

  private becomeReady() {
    if (this.ready) return;
    this.ready = true;
    for (const input of this.unacked) this.socket?.emit("input", input);
  }

  /**
   * Sends keystrokes; they are resent after a reconnect until the server acknowledges them. After
   * the shell exited, keys are dropped (they were meant for a shell that is gone), and Enter opens
   * a new shell when the gateway offered one.
   */
  send(data: string) {
    if (this.exited) {
      if (/[\r\n]/.test(data)) this.reopen();
      return;
    }
    this.queue(data);
  }

  /** Types text on the learner's behalf (a clicked command): opens a new shell first if the last one exited and a new one is offered. */
  type(text: string) {
    this.reopen();
    if (!this.exited) this.queue(text);
  }

  private queue(data: string) {
    const input = { seq: this.nextInput++, data };
    this.unacked.push(input);
    if (this.ready && this.socket?.connected) this.socket.emit("input", input);
  }

  get pendingInputs(): number {
    return this.unacked.length;
  }

  private inputAcked(seq: number) {
    this.unacked = this.unacked.filter((i) => i.seq > seq);
    if (seq >= this.nextInput) this.nextInput = seq + 1;
  }

  private rendered(seq: number) {
    if (seq - this.lastAcked >= ACK_EVERY) return this.ack(seq);
    this.ackTimer ??= setTimeout(() => this.ack(this.offset), 20);
  }

  private ack(seq: number) {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (seq <= this.lastAcked) return;
    this.lastAcked = seq;
    this.socket?.emit("ack", { seq });
  }
}
