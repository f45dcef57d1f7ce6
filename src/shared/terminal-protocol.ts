// The socket.io vocabulary between the browser's terminal and the worker's gateway.
// Every event is named and typed here; payloads from clients are validated with these schemas.
import { z } from "zod";
import { containerNameSchema } from "./labs";

export const TERMINAL_NAMESPACE = "/terminal";

/** Sent in the socket.io handshake (`auth`). */
export const handshakeSchema = z.object({
  token: z.string().min(1),
  sessionId: z.uuid(),
  terminal: containerNameSchema,
});
export type Handshake = z.infer<typeof handshakeSchema>;

export const MAX_INPUT_BYTES = 16 * 1024;
export const inputSchema = z.string().max(MAX_INPUT_BYTES);
export const resizeSchema = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(2).max(500),
});
export type TerminalSize = z.infer<typeof resizeSchema>;

export interface ClientToServerEvents {
  input: (data: string) => void;
  resize: (size: TerminalSize) => void;
}

export type TerminalErrorCode = "bad-request" | "unavailable";

export interface ServerToClientEvents {
  output: (data: string) => void;
  /** The shell ended; the client may reconnect for a new one. */
  exit: (info: { reason: string }) => void;
  error: (info: { code: TerminalErrorCode; message: string }) => void;
}

/** Reasons the gateway refuses a connection, sent as the connect_error message. */
export const refusal = {
  badHandshake: "bad handshake: expected { token, sessionId, terminal }",
  otherSession: "terminal token was issued for another session or terminal",
  sessionNotReady: "this lab session is not running",
  originNotAllowed: "origin not allowed",
} as const;
