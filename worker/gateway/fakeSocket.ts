// An in-memory socket for the gateway's unit tests: the test plays the browser (`send`) and reads
// what the terminal emitted (`emitted`, `next`). Events are delivered synchronously, like
// socket.io's listeners once a packet is decoded.
import type { ServerToClientEvents } from "~/protocol/terminalProtocol";
import type { TerminalSocket } from "./terminalSocket";

type ServerEvent = keyof ServerToClientEvents;
export type Emitted<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
type Listener = (...args: never[]) => void;

let count = 0;

export class FakeSocket implements TerminalSocket {
  readonly id = `fake-socket-${++count}`;
  disconnected = false;
  /** Everything the server emitted to this client, in order. */
  readonly emitted: { event: ServerEvent; payload: unknown }[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private readonly anyListeners: ((event: string, ...args: unknown[]) => void)[] = [];
  private readonly waiters: { event: ServerEvent; resolve: (payload: unknown) => void }[] = [];

  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  onAny(listener: (event: string, ...args: unknown[]) => void) {
    this.anyListeners.push(listener);
    return this;
  }

  emit<E extends ServerEvent>(event: E, ...args: Parameters<ServerToClientEvents[E]>) {
    const payload: unknown = args[0];
    this.emitted.push({ event, payload });
    for (const waiter of this.waiters.filter((w) => w.event === event)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(payload);
    }
    return true;
  }

  disconnect() {
    if (this.disconnected) return this;
    this.disconnected = true;
    for (const listener of this.listeners.get("disconnect") ?? []) (listener as () => void)();
    return this;
  }

  /** The client sends an event (any name, any payload: the server must cope). */
  send(event: string, ...args: unknown[]) {
    if (this.disconnected) throw new Error(`${this.id} is disconnected: it cannot send "${event}"`);
    for (const listener of this.anyListeners) listener(event, ...args);
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  /** Payloads of one event emitted so far. */
  all<E extends ServerEvent>(event: E): Emitted<E>[] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.payload as Emitted<E>);
  }

  /** The next emission of `event` (one already emitted does not count). */
  next<E extends ServerEvent>(event: E): Promise<Emitted<E>> {
    return new Promise((resolve) => this.waiters.push({ event, resolve: resolve as (payload: unknown) => void }));
  }

  /** All output received, joined. */
  output(): string {
    return this.all("output")
      .map((o) => o.data)
      .join("");
  }
}
