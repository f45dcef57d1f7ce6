// Admission: the line moves when a place frees. In line order (waitingSince, then id), each waiting
// session is placed like a start (caps, then the least loaded live worker with room) and, placed,
// becomes QUEUED with its provision job on its worker's queue, in one transaction under the platform
// lock; its time starts now. Strict FIFO: the first that does not fit stops the admission (a small
// lab behind a big one waits too). A head that can never fit (capacities changed since it joined)
// leaves the line with a reason instead of blocking it, and so does a session that has waited longer
// than MAX_WAIT_MINUTES. Every worker calls it after a teardown, on its heartbeat loop (which catches
// every other freeing: a worker joining, capacity raised, a session that failed) and after pooled
// sessions are released; two admitters at once take the lock in turn, so each session is admitted once.
//
// The head is never handed a pooled session: it gets a cold start, in the room releasePooled makes
// for it (a pooled one of its lab is as likely to be the one being released).
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { sessionContainerCount } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import { releasePooled } from "~/core/pool/releasePooled";
import { UNKNOWN_LAB_CONTAINERS } from "~/core/workers/placement";
import { admit, leaveLine } from "~/core/sessions/transitions";
import { Status } from "~/protocol/sessionStatus";
import { LOCKED_TRANSACTION } from "../advisoryLock";
import { findPlace, type PlatformCaps } from "./platformRoom";

/** The most sessions one call admits (the next call goes on): one call never holds the worker's loop for long. */
export const ADMIT_BATCH = 50;

/** What a session that waited longer than `minutes` reads once the line has ended its wait. */
export const waitedTooLong = (minutes: number) =>
  `No place freed within ${minutes} minutes, the longest a lab waits in line, so the wait ended. Please start the lab again later.`;

type Turn = { admitted: string } | { skipped: string } | { ended: string } | "stop";

/** Ends (leaveLine, with the reason) the waits longer than `maxWaitMinutes`, at most ADMIT_BATCH of them a call. */
async function endLongWaits(db: Db, maxWaitMinutes: number): Promise<string[]> {
  const since = new Date(Date.now() - maxWaitMinutes * 60_000);
  const late = await db.labSession.findMany({
    where: { status: Status.waiting, waitingSince: { lt: since } },
    orderBy: [{ waitingSince: "asc" }, { id: "asc" }],
    select: { id: true },
    take: ADMIT_BATCH,
  });
  const ended: string[] = [];
  for (const { id } of late) if ((await leaveLine(db, id, null, waitedTooLong(maxWaitMinutes))) === "applied") ended.push(id);
  return ended;
}

/** Admits waiting sessions while the first in line fits; returns the ids admitted, in line order. */
export async function admitWaiting(options: {
  db: Db;
  boss: Boss;
  staleSeconds: number;
  caps: PlatformCaps;
  /** MAX_WAIT_MINUTES: a longer wait is ended (none when not given). */
  maxWaitMinutes?: number;
}): Promise<string[]> {
  if (options.maxWaitMinutes !== undefined) await endLongWaits(options.db, options.maxWaitMinutes);
  const admitted: string[] = [];
  // A turn skipped (the head moved meanwhile) or ended costs one more read; bounded all the same.
  for (let turns = 0; turns < ADMIT_BATCH * 2 && admitted.length < ADMIT_BATCH; turns++) {
    const turn = await options.db.$transaction(async (tx): Promise<Turn> => {
      const head = await tx.labSession.findFirst({
        where: { status: Status.waiting },
        orderBy: [{ waitingSince: "asc" }, { id: "asc" }],
      });
      if (!head) return "stop";
      const lab = labOfSession(head);
      const needed = lab ? sessionContainerCount(lab) : UNKNOWN_LAB_CONTAINERS;
      // Takes the platform lock; the head is read again under it below (another admitter may have moved it).
      const place = await findPlace(tx, { needed, caps: options.caps, staleSeconds: options.staleSeconds });
      if ("full" in place && place.never) {
        // Waiting would block everyone behind it for ever: it leaves the line, saying why.
        return (await leaveLine(tx, head.id, null, place.full.message)) === "applied" ? { ended: head.id } : { skipped: head.id };
      }
      if ("full" in place) {
        // Learners before the pool: pooled sessions holding the place are stopped; their teardown admits again.
        await releasePooled(tx, options.boss, needed);
        return "stop";
      }
      // No live worker (all stale or draining): it stays in line until one beats again.
      if (place.workerId === null) return "stop";
      const first = await tx.labSession.findFirst({
        where: { status: Status.waiting },
        orderBy: [{ waitingSince: "asc" }, { id: "asc" }],
        select: { id: true },
      });
      if (first?.id !== head.id) return { skipped: head.id };
      // Its time starts now: the TTL it was started with is expiresAt - waitingSince.
      const ttlMs = head.expiresAt.getTime() - (head.waitingSince ?? head.createdAt).getTime();
      if ((await admit(tx, head.id, place.workerId, new Date(Date.now() + ttlMs))) === "skipped") return { skipped: head.id };
      await enqueue(
        options.boss,
        "provisionSession",
        { sessionId: head.id, labHash: head.labHash ?? undefined },
        { tx, workerId: place.workerId },
      );
      return { admitted: head.id };
    }, LOCKED_TRANSACTION);
    if (turn === "stop") break;
    if ("admitted" in turn) admitted.push(turn.admitted);
  }
  return admitted;
}
