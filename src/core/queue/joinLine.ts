// A start when every lab host is full (or the platform's caps are reached): the session is written
// WAITING, in line for a place, instead of being refused. The line is strict FIFO: while anyone
// waits, a new start joins behind them even if it would fit (a small lab never overtakes a big one
// for ever). Pooled sessions give way to learners: those that free the place are stopped here, in
// the same transaction (src/core/pool/releasePooled.ts), and their teardown admits the line. The
// line is bounded (MAX_WAITING_SESSIONS), and a lab that can never fit is refused, never queued.
import type { Prisma } from "~/generated/prisma/client";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { releasePooled } from "~/core/pool/releasePooled";
import { Status } from "~/protocol/sessionStatus";
import { findPlace, type PlatformCaps } from "./platformRoom";

type Tx = Prisma.TransactionClient;

/** What a waiting session's row says while it is in line (the page shows its own sentence with the position). */
export const WAITING_REASON = "Every lab host is busy: waiting in line for a place";

/** Start now on a worker (null: none live, the shared queue), or wait in line from `since` (the database's clock). */
export type StartPlace = { workerId: string | null } | { waitingSince: Date };

/** The database's clock now, read after the platform lock: who came first is who got the lock first. */
async function clockNow(tx: Tx): Promise<Date> {
  const [row] = await tx.$queryRaw<Array<{ now: Date }>>`SELECT clock_timestamp() AS "now"`;
  return row!.now;
}

/**
 * Where a new session starts: a place now, or the line. `wait: false` (an instructor's reset, which
 * must not tear down a running lab for a fresh one that only waits) throws the UNAVAILABLE instead,
 * as does a line of `maxWaiting` sessions already (0: no line at all). A lab that can never fit
 * (bigger than every lab host, or than the container cap) is refused at once. Takes the platform
 * lock (held to the caller's commit).
 */
export async function placeOrJoinLine(
  tx: Tx,
  boss: Boss,
  options: { needed: number; caps: PlatformCaps; staleSeconds: number; wait: boolean; maxWaiting: number },
): Promise<StartPlace> {
  const place = await findPlace(tx, options);
  if ("full" in place && place.never) throw place.full;
  if (!options.wait || options.maxWaiting === 0) {
    if ("full" in place) throw place.full;
    return place;
  }
  const ahead = await tx.labSession.count({ where: { status: Status.waiting } });
  if (ahead === 0 && !("full" in place)) return place;
  if (ahead >= options.maxWaiting) {
    throw new AppError("UNAVAILABLE", `The line is full: ${ahead} learners are waiting. Please try again later.`);
  }
  await releasePooled(tx, boss, options.needed);
  return { waitingSince: await clockNow(tx) };
}
