// A session's time left, in words, and when to warn that it is nearly over. Pure: the caller
// passes the clock (useNow), so tests need no timers.

/** The warning is said once, when this much time or less is left. */
export const WARN_BEFORE_MS = 5 * 60_000;
export const WARNING_TEXT = "5 minutes left: submit your work.";

/** "42 min left", "1 h 5 min left", "less than a minute left", or "time is up". */
export function formatTimeLeft(expiresAt: Date, now: number): string {
  const ms = expiresAt.getTime() - now;
  if (ms <= 0) return "time is up";
  if (ms < 60_000) return "less than a minute left";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** Whether the session is in its last minutes (it has not run out yet). */
export function isNearlyOver(expiresAt: Date, now: number): boolean {
  const ms = expiresAt.getTime() - now;
  return ms > 0 && ms <= WARN_BEFORE_MS;
}

/**
 * The warning to announce now, given the expiry it was last said for: said once per expiry, so an
 * extension (a later expiresAt) that brings the session into its last minutes again says it again.
 */
export function warningToSay(expiresAt: Date, now: number, warnedFor: number | null): string | undefined {
  return isNearlyOver(expiresAt, now) && warnedFor !== expiresAt.getTime() ? WARNING_TEXT : undefined;
}
