// What an assignment's settings may be (the router's zod bounds use the same numbers).
import { AppError } from "~/core/errors";

export const TIME_LIMIT_MINUTES = { min: 5, max: 480 } as const;
export const MAX_EXTENSION_MINUTES = { min: 0, max: 240 } as const;
/** A due date this far in the past is still taken (the browser's clock and ours may differ). */
const CLOCK_SLACK_MS = 60_000;

/**
 * A due date must be in the future when it is set: one in the past would mark every submission
 * late at once, which is almost always a mistyped date (a year, AM/PM). To close an assignment,
 * leave it as it is; to remove the due date, clear it.
 */
export function requireFutureDueDate(dueAt: Date | null | undefined, now = Date.now()): void {
  if (dueAt && dueAt.getTime() < now - CLOCK_SLACK_MS)
    throw new AppError(
      "BAD_REQUEST",
      `The due date ${dueAt.toISOString()} is in the past: choose a later date and time, or leave it empty for no due date.`,
    );
}
