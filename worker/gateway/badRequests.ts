// What a client is told when it sends something malformed: what was wrong and what is accepted,
// with the limits taken from the protocol's own constants.
import {
  CLIENT_EVENTS,
  MAX_INPUT_BYTES,
  MAX_TERMINAL_SIZE,
  MIN_TERMINAL_SIZE,
  type TerminalError,
} from "~/protocol/terminalProtocol";

const bad = (message: string): TerminalError => ({ code: "bad-request", message });

export const badRequest = {
  input: bad(`input needs { seq: a positive integer, data: 1 to ${MAX_INPUT_BYTES} characters }`),
  resize: bad(
    `resize needs integer cols (${MIN_TERMINAL_SIZE.cols}-${MAX_TERMINAL_SIZE.cols}) and rows (${MIN_TERMINAL_SIZE.rows}-${MAX_TERMINAL_SIZE.rows})`,
  ),
  ack: bad("ack needs { seq: a non-negative integer }"),
  unknownEvent: (name: string) => bad(`unknown event "${name}"; events: ${CLIENT_EVENTS.join(", ")}`),
  gap: (seq: number, expected: number) => bad(`input ${seq} arrived before input ${expected}`),
};
