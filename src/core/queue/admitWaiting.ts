// Admission: the line moves when a place frees. In line order (waitingSince, then id), each waiting
// session is placed like a start (caps, then the least loaded live worker with room) and, placed,
// becomes QUEUED with its provision job on its worker's queue, in one transaction under the platform
// lock; its time starts now. Strict FIFO: the first that does not fit stops the admission (a small
// lab behind a big one waits too). Every worker calls it after a teardown, on its heartbeat loop
// (which catches every other freeing: a worker joining, capacity raised, a session that failed) and
// after pooled sessions are released; two admitters at once take the lock in turn, so each session
// is admitted once.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { sessionContainerCount } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import { releasePooled } from "~/core/pool/releasePooled";
import { admit } from "~/core/sessions/transitions";
import { Status } from "~/protocol/sessionStatus";
import { LOCKED_TRANSACTION } from "../advisoryLock";
import { findPlace, type PlatformCaps } from "./platformRoom";

/** A waiting session whose stored lab cannot be read counts as this many containers (as placement does). */
const UNKNOWN_LAB_CONTAINERS = 2;

/** The most sessions one call admits (the next call goes on): one call never holds the worker's loop for long. */
export const ADMIT_BATCH = 50;

type Turn = { admitted: string } | { skipped: string } | "stop";

/** Admits waiting sessions while the first in line fits; returns the ids admitted, in line order. */
export async function admitWaiting(options: { db: Db; boss: Boss; staleSeconds: number; caps: PlatformCaps }): Promise<string[]> {
  const admitted: string[] = [];
  // A turn skipped (the head moved meanwhile) costs one more read; bounded all the same.
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
