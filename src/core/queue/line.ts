// The line as a page shows it: each waiting session's position (1 + the sessions ahead of it, by
// waitingSince then id) and an estimate of the wait from what the platform has seen. One statement
// reads the whole line and the estimate's data, so a change costs one query per web process,
// whatever the number of waiting pages (lineBoard.ts shares it).
import type { Db } from "~/core/db";
import { NOW_UTC } from "~/core/workers/registry";
import { Status } from "~/protocol/sessionStatus";

/** How far back the rate at which places free is measured. */
export const FREED_WINDOW_MINUTES = 15;
/** The freed count stops here: past it the estimate hardly changes, and the read stays bounded. */
export const FREED_COUNT_MAX = 1000;

export type LineSnapshot = {
  /** The waiting sessions' ids, first in line first. */
  order: string[];
  /** Learner sessions that were placed and stopped in the last FREED_WINDOW_MINUTES (each freed a place), at most FREED_COUNT_MAX. */
  freedRecently: number;
  /** Minutes until each running learner session's time ends, soonest first (at most as many as wait). */
  expiriesMinutes: number[];
};

/** A waiting session's place: its position, and about how many minutes until it starts (null: no estimate yet). */
export type LinePlace = { position: number; estimateMinutes: number | null };

/**
 * About how long the one at `position` waits, in whole minutes (at least 1), from two things the
 * platform has seen: the recent rate at which places freed (position / rate), and when the running
 * sessions' time ends (the position-th soonest: a place frees then at the latest, if each waiting lab
 * fits where one ends). The smaller; null when there is neither (nothing freed lately, fewer running
 * sessions than are ahead).
 */
export function estimateMinutes(position: number, snapshot: Omit<LineSnapshot, "order">): number | null {
  const estimates: number[] = [];
  if (snapshot.freedRecently > 0) estimates.push((position * FREED_WINDOW_MINUTES) / snapshot.freedRecently);
  const byExpiry = snapshot.expiriesMinutes[position - 1];
  if (byExpiry !== undefined) estimates.push(byExpiry);
  if (estimates.length === 0) return null;
  return Math.max(1, Math.ceil(Math.min(...estimates)));
}

/** The session's place in the snapshot's line, or undefined when it is not waiting in it. */
export function placeInLine(snapshot: LineSnapshot, sessionId: string): LinePlace | undefined {
  const index = snapshot.order.indexOf(sessionId);
  if (index < 0) return undefined;
  return { position: index + 1, estimateMinutes: estimateMinutes(index + 1, snapshot) };
}

/** The line and the estimate's data, in one statement. */
export async function readLine(db: Pick<Db, "$queryRaw">): Promise<LineSnapshot> {
  const [row] = await db.$queryRaw<Array<{ order: string[]; freed: number; expiries: number[] }>>`
    WITH line AS (
      SELECT "id", "waitingSince" FROM "LabSession" WHERE "status" = ${Status.waiting}::"SessionStatus"
    )
    SELECT
      (SELECT coalesce(array_agg("id"::text ORDER BY "waitingSince", "id"), '{}') FROM line) AS "order",
      (SELECT count(*)::int FROM (SELECT 1 FROM "LabSession"
        WHERE "stoppedAt" > ${NOW_UTC} - make_interval(mins => ${FREED_WINDOW_MINUTES})
          AND "workerId" IS NOT NULL AND "pooledAt" IS NULL
        LIMIT ${FREED_COUNT_MAX}) freed) AS "freed",
      (SELECT coalesce(array_agg(m ORDER BY m), '{}') FROM (
        SELECT (EXTRACT(EPOCH FROM ("expiresAt" - ${NOW_UTC})) / 60)::float8 AS m FROM "LabSession"
        WHERE "status" = ${Status.ready}::"SessionStatus" AND "pooledAt" IS NULL
        ORDER BY "expiresAt" LIMIT (SELECT count(*) FROM line)
      ) soonest) AS "expiries"`;
  return {
    order: row?.order ?? [],
    freedRecently: row?.freed ?? 0,
    expiriesMinutes: (row?.expiries ?? []).map((m) => Math.max(0, m)),
  };
}

/** One waiting session's place (a view's read: the whole line, one statement). */
export async function readPlace(db: Pick<Db, "$queryRaw">, sessionId: string): Promise<LinePlace | undefined> {
  return placeInLine(await readLine(db), sessionId);
}
