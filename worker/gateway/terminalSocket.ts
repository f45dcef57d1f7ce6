// What the gateway uses of a socket.io connection, typed by the protocol. socket.io's Socket is
// one; tests drive the terminal with an in-memory one (sharedTerminal.test.ts).
import type { ClientEvent, ClientToServerEvents, ServerToClientEvents } from "~/protocol/terminalProtocol";

export interface TerminalSocket {
  readonly id: string;
  readonly disconnected: boolean;
  on<E extends ClientEvent>(event: E, listener: ClientToServerEvents[E]): unknown;
  on(event: "disconnect", listener: () => void): unknown;
  /** Every event, known or not: how unknown ones are noticed. */
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): unknown;
  disconnect(close?: boolean): unknown;
}
