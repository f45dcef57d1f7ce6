// A client's events from the moment it connects. Its listeners are registered at once, before
// the shell is open (socket.io drops events that have no listener yet); what arrives meanwhile
// waits here, typed and bounded, and is delivered in order when the terminal opens the inbox.
import { CLIENT_EVENTS, isClientEvent, type ClientEvent, type ClientToServerEvents } from "~/protocol/terminalProtocol";
import type { TerminalSocket } from "./terminalSocket";

/** One event a client sent: a protocol event with its (not yet validated) arguments, or an unknown one. */
export type ClientMessage =
  { [E in ClientEvent]: { event: E; args: Parameters<ClientToServerEvents[E]> } }[ClientEvent] | { event: null; name: string };

/** A client has no business sending more than a resize and a few keystrokes before its snapshot. */
export const MAX_EARLY_MESSAGES = 100;

export class ClientInbox {
  private early: ClientMessage[] | undefined = [];
  private deliver: ((message: ClientMessage) => void) | undefined;
  /** Early messages beyond MAX_EARLY_MESSAGES, dropped (for tests and metrics). */
  dropped = 0;

  constructor(socket: Pick<TerminalSocket, "on" | "onAny">) {
    for (const event of CLIENT_EVENTS) this.listen(socket, event);
    socket.onAny((event) => {
      if (!isClientEvent(event)) this.receive({ event: null, name: event });
    });
  }

  /** Delivers what arrived so far, then every later message as it arrives. */
  open(deliver: (message: ClientMessage) => void) {
    const early = this.early ?? [];
    this.early = undefined;
    this.deliver = deliver;
    for (const message of early) deliver(message);
  }

  private listen<E extends ClientEvent>(socket: Pick<TerminalSocket, "on">, event: E) {
    const listener = (...args: Parameters<ClientToServerEvents[E]>) => this.receive({ event, args } as ClientMessage);
    socket.on(event, listener as ClientToServerEvents[E]);
  }

  private receive(message: ClientMessage) {
    if (this.deliver) return this.deliver(message);
    if (this.early && this.early.length < MAX_EARLY_MESSAGES) this.early.push(message);
    else this.dropped++;
  }
}
