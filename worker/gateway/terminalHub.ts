// All shared terminals this worker serves, keyed by session and container. A terminal is created
// on its first client and lives until its shell exits or its session is torn down.
import { LabObjectMissingError, type Provisioner } from "~/core/provisioner/port";
import { refusal } from "~/protocol/terminalProtocol";
import { ClientInbox } from "./clientInbox";
import { SharedTerminal, type Joiner } from "./sharedTerminal";
import type { TerminalSocket } from "./terminalSocket";

export const hubLimits = { terminalsPerSession: 12, clientsPerTerminal: 30 };
/** How often, and how far apart, a container whose shell ended is looked at before "shell exited" is said. */
const END_LOOKS = { count: 3, everyMs: 100 };

export class TerminalHub {
  /** Set by closeAll (the worker is stopping): the gateway opens no new terminal. */
  closing = false;
  private readonly terminals = new Map<string, Promise<SharedTerminal>>();
  private readonly live = new Map<string, SharedTerminal>();

  /** Someone's input reached a shell of the session (the gateway records activity, throttled). */
  onTyped: ((sessionId: string) => void) | undefined;

  constructor(private readonly provisioner: Provisioner) {}

  /** Why a new client may not join, or null. */
  refusalFor(sessionId: string, terminal: string): string | null {
    const key = `${sessionId}/${terminal}`;
    if (!this.terminals.has(key) && this.sessionTerminals(sessionId) >= hubLimits.terminalsPerSession)
      return refusal.tooManyTerminals;
    if ((this.live.get(key)?.clientCount ?? 0) >= hubLimits.clientsPerTerminal) return refusal.tooManyClients;
    return null;
  }

  /**
   * Attaches a client to the session's terminal, opening its shell on the first client. Call it
   * as the socket connects: it listens before its first await, so nothing sent meanwhile is lost.
   */
  async join(socket: TerminalSocket, sessionId: string, terminal: string, joiner: Joiner): Promise<void> {
    const inbox = new ClientInbox(socket);
    const key = `${sessionId}/${terminal}`;
    let pending = this.terminals.get(key);
    if (!pending) {
      pending = this.provisioner.openTerminal(sessionId, terminal, { cols: 80, rows: 24 }).then((shell) => {
        const shared = new SharedTerminal(
          shell,
          () => {
            this.terminals.delete(key);
            this.live.delete(key);
          },
          undefined,
          () => this.removedReason(sessionId, terminal),
        );
        shared.onTyped = () => this.onTyped?.(sessionId);
        this.live.set(key, shared);
        return shared;
      });
      pending.catch(() => this.terminals.delete(key));
      this.terminals.set(key, pending);
    }
    let shared: SharedTerminal;
    try {
      shared = await pending;
    } catch (error) {
      socket.emit("error", { code: "unavailable", message: await this.whyNotOpened(sessionId, terminal, error) });
      socket.disconnect(true);
      return;
    }
    if (socket.disconnected) return;
    if (shared.clientCount >= hubLimits.clientsPerTerminal) {
      socket.emit("error", { code: "unavailable", message: refusal.tooManyClients });
      socket.disconnect(true);
      return;
    }
    await shared.join(socket, joiner, inbox);
  }

  /** Ends the session's shells (its containers are going away: no new shell is offered). */
  async closeSession(sessionId: string, reason: string): Promise<void> {
    for (const [key, pending] of this.terminals) {
      if (!key.startsWith(`${sessionId}/`)) continue;
      const shared = await pending.catch(() => undefined);
      shared?.close(reason);
    }
  }

  /**
   * Ends every shell (the worker is stopping); the containers stay, so clients may reconnect for a new shell.
   * `resume` (a drain: the lab host comes back): clients are told to reconnect by themselves.
   */
  async closeAll(reason: string, options: { resume?: boolean } = {}): Promise<void> {
    this.closing = true;
    for (const pending of [...this.terminals.values()])
      (await pending.catch(() => undefined))?.close(reason, true, options.resume ?? false);
  }

  /** Open shells and the clients attached to them (metrics; the heartbeat's terminal count). */
  counts(): { terminals: number; clients: number } {
    let clients = 0;
    for (const shared of this.live.values()) clients += shared.clientCount;
    return { terminals: this.live.size, clients };
  }

  /** For tests and metrics: the live terminal of a session's container, if any. */
  get(sessionId: string, terminal: string): SharedTerminal | undefined {
    return this.live.get(`${sessionId}/${terminal}`);
  }

  /** Why an open shell ended when its container did (stopped or removed): said instead of "shell exited". */
  private async removedReason(sessionId: string, terminal: string): Promise<string | undefined> {
    // The engine ends a killed container's shells a moment before it reports the container stopped:
    // a container still running is looked at again, a few times, before the shell is said to have exited.
    for (let look = 0; ; look++) {
      const found = await this.provisioner.inspectContainer(sessionId, terminal);
      if (found === undefined) return `container ${terminal} was removed; its terminal is closed`;
      // `docker rm -f` kills first: the shell ends before the container is gone.
      if (!found.running) return `container ${terminal} stopped (or is being removed); its terminal is closed`;
      if (look >= END_LOOKS.count) return undefined;
      await new Promise((resolve) => setTimeout(resolve, END_LOOKS.everyMs));
    }
  }

  /** Why a shell could not open, in words for the learner: a container that is gone says so. */
  private async whyNotOpened(sessionId: string, terminal: string, error: unknown): Promise<string> {
    if (!(error instanceof LabObjectMissingError)) return (error as Error).message;
    const found = await this.provisioner.inspectContainer(sessionId, terminal).catch(() => null);
    if (found === undefined) return `there is no container ${terminal} in this session (it was removed, or never created)`;
    return (error as Error).message;
  }

  private sessionTerminals(sessionId: string): number {
    return [...this.terminals.keys()].filter((k) => k.startsWith(`${sessionId}/`)).length;
  }
}
