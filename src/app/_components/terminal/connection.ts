// The browser terminal's connection decisions, without a socket so they can be tested.
import { MAX_TERMINAL_SIZE, type TerminalSize } from "~/protocol/terminalProtocol";

/** How long to wait before reconnecting after the gateway refused us (null: waiting cannot help). */
export function retryAfterRefusal(reason: string | undefined): number | null {
  if (reason === "rate-limited") return 3000; // the gateway allows a burst, then one every 2 s
  if (reason === "limit") return 5000; // the terminal or session is full
  if (reason === "expired") return 0; // every attempt mints a fresh token
  return null;
}

/** The size to ask for: a window wider or taller than the largest shared size gets the largest (the rest stays blank). */
export function sharedSize(cols: number, rows: number): TerminalSize {
  return { cols: Math.min(cols, MAX_TERMINAL_SIZE.cols), rows: Math.min(rows, MAX_TERMINAL_SIZE.rows) };
}
