import type { TerminalExit } from "~/protocol/terminalProtocol";

/** What the terminal says while its lab host restarts (the connection comes back by itself). */
export const RESUMING_LINE = "Lab host restarting — reconnecting…";
/** What it says when the gateway answered that the session runs on another lab host now. */
export const MOVED_LINE = "This lab moved to another lab host — reconnecting…";

/** What the page says when a terminal's shell ended: why, and that Enter opens a new one when it does. */
export function exitLine({ reason, reopen, resume }: TerminalExit): string {
  if (resume) return RESUMING_LINE;
  return reopen ? `${reason} — press Enter for a new one` : reason;
}
