// "Last activity" on the dashboard: the worker's terminal gateway calls `touched(sessionId)` on
// every input it accepts; at most once per ACTIVITY_EVERY_MS per session it writes the time on the
// session (never the keystrokes). The write is itself conditional on the stored time being older,
// so several workers (or a restarted one) do not write more often either.
import type { Db } from "~/core/db";
import { logger } from "~/core/log";

const log = logger.child({ component: "activity" });

export const ACTIVITY_EVERY_MS = 15_000;

/** Writes lastActivityAt = at unless it was written less than ACTIVITY_EVERY_MS before; true when written. */
export async function recordActivity(db: Db, sessionId: string, at: Date = new Date()): Promise<boolean> {
  const before = new Date(at.getTime() - ACTIVITY_EVERY_MS);
  const { count } = await db.labSession.updateMany({
    where: { id: sessionId, OR: [{ lastActivityAt: null }, { lastActivityAt: { lte: before } }] },
    data: { lastActivityAt: at },
  });
  return count === 1;
}

/**
 * The gateway's throttle: remembers when it last wrote each session (in memory, forgetting entries
 * older than the interval), so a burst of keystrokes costs one write per interval, not one each.
 */
export class ActivityThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly write: (sessionId: string, at: Date) => Promise<unknown>,
    private readonly options: { everyMs?: number; now?: () => number } = {},
  ) {}

  /** Someone typed in one of the session's terminals. Never throws; a failed write is logged. */
  touched(sessionId: string): void {
    const now = (this.options.now ?? Date.now)();
    const every = this.options.everyMs ?? ACTIVITY_EVERY_MS;
    const previous = this.last.get(sessionId);
    if (previous !== undefined && now - previous < every) return;
    for (const [id, at] of this.last) if (now - at >= every) this.last.delete(id);
    this.last.set(sessionId, now);
    this.write(sessionId, new Date(now)).catch((error: unknown) =>
      log.error({ err: error, sessionId }, `could not record activity of session ${sessionId}`),
    );
  }

  /** How many sessions it remembers (bounded by those typed in during the last interval). */
  get size(): number {
    return this.last.size;
  }
}
