// Matching the load generator's events to what the dashboard received: for each event, the first
// row of its session, received after the write, that shows it. Dashboard rows are found anywhere
// in a subscription's message (any object with a sessionId), so the envelope may change freely.
import type { Expect, LoadEvent } from "./dashboardEvents";

/** What the benchmark reads from a dashboard row. */
export type RowFacts = {
  lastActivityAt: number | null;
  helpMessage: string | null;
  help: boolean;
  checksPassed: number | null;
  attempts: number | null;
  bestScore: number | null;
};

export type ReceivedRow = { receivedAt: number; facts: RowFacts };

const time = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);
const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** A dashboard row's facts (src/core/classroom/dashboard.ts). */
export function rowFacts(row: Record<string, unknown>): RowFacts {
  const help = obj(row.help);
  const checks = obj(row.checks);
  const best = obj(row.best);
  return {
    lastActivityAt: time(row.lastActivityAt),
    helpMessage: typeof help?.message === "string" ? help.message : null,
    help: help !== undefined,
    checksPassed: num(row.checksPassed) ?? num(checks?.passed),
    attempts: num(row.attempts) ?? num(best?.attempts),
    bestScore: num(row.bestScore) ?? num(row.score) ?? num(best?.score),
  };
}

/** Every dashboard row in a message, with its session id. */
export function rowsIn(message: unknown, found: { sessionId: string; row: Record<string, unknown> }[] = []) {
  if (Array.isArray(message)) {
    for (const item of message) rowsIn(item, found);
    return found;
  }
  const o = obj(message);
  if (!o) return found;
  if (typeof o.sessionId === "string") {
    found.push({ sessionId: o.sessionId, row: o });
    return found;
  }
  for (const value of Object.values(o)) rowsIn(value, found);
  return found;
}

/** Whether a row of this shape can show the event at all (a submission that changed no score, on rows without attempts, cannot). */
export function visible(expect: Expect, sample: RowFacts): boolean {
  return !("improves" in expect) || expect.improves || sample.attempts !== null;
}

export function shows(facts: RowFacts, expect: Expect): boolean {
  if ("lastActivityAt" in expect) return facts.lastActivityAt !== null && facts.lastActivityAt >= expect.lastActivityAt;
  if ("helpMessage" in expect) return facts.helpMessage === expect.helpMessage;
  if ("help" in expect) return !facts.help;
  if ("checksPassed" in expect) return facts.checksPassed !== null && facts.checksPassed >= expect.checksPassed;
  // A submission shows in its attempt count when the row has one, else in a better best score.
  if (facts.attempts !== null) return facts.attempts >= expect.attempts;
  return facts.bestScore !== null && facts.bestScore >= expect.bestScore;
}

/**
 * The delay from an event's commit to `at`. What arrived before the writer had read its COMMIT's
 * answer (a notification can) counts as 0: it came with the commit.
 */
const sinceCommit = (event: LoadEvent, at: number) => Math.max(0, at - event.committedAt);

/** The delay (ms from the event's commit) until the first row, received after the write began, that shows it; null when none did. */
export function delayOf(event: LoadEvent, rows: ReceivedRow[] | undefined): number | null {
  if (!event.expect) return null;
  for (const row of rows ?? []) {
    if (row.receivedAt >= event.t0 && shows(row.facts, event.expect)) return sinceCommit(event, row.receivedAt);
  }
  return null;
}

/** Raw baseline: the delay until the first notification of the event's session and kind after its write began. */
export function firstAfter(event: LoadEvent, times: number[] | undefined): number | null {
  for (const at of times ?? []) if (at >= event.t0) return sinceCommit(event, at);
  return null;
}
