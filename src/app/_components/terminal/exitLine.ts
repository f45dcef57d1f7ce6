import type { TerminalExit } from "~/protocol/terminalProtocol";

/** What the page says when a terminal's shell ended: why, and that Enter opens a new one when it does. */
export function exitLine({ reason, reopen }: TerminalExit): string {
  return reopen ? `${reason} — press Enter for a new one` : reason;
}
