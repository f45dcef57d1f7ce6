// The one bound on a session's link changes, whichever door asks: the host terminal's `link set` /
// `link clear` (the session endpoint's handler) and the page's links.set / links.clear. Each change
// starts or removes a helper container, so a session makes at most LINK_CHANGES_PER_MINUTE in any
// minute. A change takes its unit BEFORE it runs (concurrent requests cannot all pass a check made
// before any is counted) and gives it back when refused (a bad value, a missing container: no cost).
// Held in the process's memory: the worker (link command) and each web process (procedures) count
// apart, so across doors a session is held to this bound per process.
import { AppError } from "~/core/errors";

export const LINK_CHANGES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

export const TOO_MANY_LINK_CHANGES = `too many link changes in this session (at most ${LINK_CHANGES_PER_MINUTE} a minute); wait a moment and try again`;

/** Per session, when each change counted in the last minute was taken (oldest first). */
const taken = new Map<string, number[]>();

function recent(sessionId: string, now: number): number[] {
  const times = (taken.get(sessionId) ?? []).filter((t) => now - t < WINDOW_MS);
  if (times.length) taken.set(sessionId, times);
  else taken.delete(sessionId);
  return times;
}

/** Sessions idle for a minute are forgotten, so the map holds only those changing links now. */
function sweep(now: number): void {
  for (const sessionId of taken.keys()) recent(sessionId, now);
}

/** Takes one of the session's changes; undefined when its minute is full. The result gives it back (once). */
export function reserveLinkChange(sessionId: string, now: number = Date.now()): { refund: () => void } | undefined {
  if (taken.size > 1000) sweep(now);
  const times = recent(sessionId, now);
  if (times.length >= LINK_CHANGES_PER_MINUTE) return undefined;
  times.push(now);
  taken.set(sessionId, times);
  let refunded = false;
  return {
    refund: () => {
      if (refunded) return;
      refunded = true;
      const list = taken.get(sessionId);
      const at = list?.lastIndexOf(now) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    },
  };
}

/** Runs one change under the session's bound: LIMIT_EXCEEDED when full; a change that throws costs nothing. */
export async function withLinkChange<T>(sessionId: string, change: () => Promise<T>): Promise<T> {
  const unit = reserveLinkChange(sessionId);
  if (!unit) throw new AppError("LIMIT_EXCEEDED", `T${TOO_MANY_LINK_CHANGES.slice(1)}.`);
  try {
    return await change();
  } catch (error) {
    unit.refund();
    throw error;
  }
}
