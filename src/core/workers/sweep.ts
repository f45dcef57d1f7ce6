// The sweep: every live worker, every heartbeat, looks at the workers that stopped taking sessions and
// moves their work. Several sweepers may run at once: each move is a conditional update in its own
// transaction, under the gone worker's row lock (a heartbeat or a re-registration waits for it, and one
// that came first stops it), so a session is moved once.
//  1. A worker that is stale (no heartbeat for staleSeconds) or stopped: its starting sessions
//     (QUEUED, PROVISIONING) are placed again on another worker, their provision job sent to that
//     worker's queue in the same transaction. No room anywhere: left for the next sweep. A draining
//     worker hands its own back the same way (handBackSessions) while it still beats: the others
//     leave it alone until then (a provision it is finishing is not moved under it), and sweep what
//     is left once it has stopped, or has gone silent mid-drain.
//  2. A worker silent for graceSeconds: its running sessions fail with a reason, its stopping ones are
//     stopped (its engine's objects go when it returns: reconcile removes those of sessions not live).
import { LOCKED_TRANSACTION } from "~/core/advisoryLock";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { logger } from "~/core/log";
import { lose, stopped } from "~/core/sessions/transitions";
import { Prisma } from "~/generated/prisma/client";
import { ACTIVE, STARTING, Status } from "~/protocol/sessionStatus";
import { placeSession, plannedContainers } from "./placement";
import { secondsAgo } from "./registry";

type Sql = Prisma.TransactionClient;

const log = logger.child({ component: "sweep" });

/** A worker whose starting sessions others place again: no heartbeat for staleSeconds, or stopped. */
const isGone = (staleSeconds: number) => Prisma.sql`("heartbeatAt" < ${secondsAgo(staleSeconds)} OR "stoppedAt" IS NOT NULL)`;

export type Moved = { sessionId: string; from: string; to: string };

export type SweepReport = {
  /** Starting sessions placed again on another worker. */
  moved: Moved[];
  /** Starting sessions of a gone worker with no room (or no live worker) elsewhere yet: the next sweep tries again. */
  waiting: string[];
  /** Running sessions failed after their worker's grace. */
  lost: string[];
  /** Stopping sessions marked stopped after their worker's grace. */
  stopped: string[];
};

type HandBack = {
  db: Db;
  boss: Boss;
  /** The gone (or draining) worker whose starting sessions move. */
  from: string;
  /** "gone": another worker's sweep (only while `from` is stale or stopped); "draining": `from` hands back its own. */
  while: "gone" | "draining";
  staleSeconds: number;
  /** The session's new status reason, once placed on `to`. */
  reason: (to: string) => string;
  /** Sessions to leave where they are (a draining worker's provisions still under way). */
  skip?: (sessionId: string) => boolean;
};

/**
 * Places the starting sessions of worker `from` again, each on another live worker, with its provision job
 * on that worker's queue; only while `from` is still gone (stale, draining or stopped). The sweep's step 1,
 * and a draining worker's own hand-back.
 */
export async function handBackSessions(options: HandBack): Promise<{ moved: Moved[]; waiting: string[]; skipped: string[] }> {
  const { db, from } = options;
  const starting = await db.labSession.findMany({
    where: { workerId: from, status: { in: [...STARTING] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  const moved: Moved[] = [];
  const waiting: string[] = [];
  const skipped: string[] = [];
  for (const { id } of starting) {
    if (options.skip?.(id)) {
      skipped.push(id);
      continue;
    }
    const to = await db.$transaction((tx) => moveOne(tx, options, id), LOCKED_TRANSACTION);
    if (to === "waiting") waiting.push(id);
    else if (to !== null) {
      moved.push({ sessionId: id, from, to });
      log.info({ sessionId: id, from, workerId: to }, `session placed again on ${to}: its lab host ${from} is gone or draining`);
    }
  }
  return { moved, waiting, skipped };
}

/** One session's move, in its transaction: the new worker's id, "waiting" (no room yet), or null (nothing to move any more). */
async function moveOne(tx: Sql, options: HandBack, sessionId: string): Promise<string | "waiting" | null> {
  const { boss, from, staleSeconds } = options;
  const condition = options.while === "draining" ? Prisma.sql`"draining"` : isGone(staleSeconds);
  const gone = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Worker" WHERE "id" = ${from} AND ${condition} FOR UPDATE`;
  if (gone.length === 0) return null; // it came back: its sessions stay
  const needed = (await plannedContainers(tx, { id: sessionId, workerId: from, status: { in: [...STARTING] } })).get(
    from,
  )?.containers;
  if (needed === undefined) return null; // started, stopped or moved meanwhile
  let to: string | null;
  try {
    to = await placeSession(tx, { needed, staleSeconds, exclude: [from] });
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAVAILABLE") return "waiting"; // every other host is full
    throw error;
  }
  if (to === null) return "waiting"; // no other live worker
  const { count } = await tx.labSession.updateMany({
    where: { id: sessionId, workerId: from, status: { in: [...STARTING] } },
    data: { workerId: to, statusReason: options.reason(to) },
  });
  if (count === 0) return null;
  const { labHash } = await tx.labSession.findUniqueOrThrow({ where: { id: sessionId }, select: { labHash: true } });
  await enqueue(boss, "provisionSession", { sessionId, ...(labHash ? { labHash } : {}) }, { tx, workerId: to });
  return to;
}

/**
 * Step 2 for one worker, in one transaction, only while it is still silent: its running sessions fail, its
 * stopping ones stop. Also a returning worker's own first step (worker/app.ts), before it beats again: with
 * no other worker to sweep it, its sessions end all the same when it was away longer than the grace.
 */
export async function endAfterGrace(
  db: Db,
  workerId: string,
  graceSeconds: number,
): Promise<{ lost: string[]; stopped: string[] }> {
  return db.$transaction(async (tx) => {
    const ended = { lost: [] as string[], stopped: [] as string[] };
    const silent = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Worker" WHERE "id" = ${workerId} AND "heartbeatAt" < ${secondsAgo(graceSeconds)} FOR UPDATE`;
    if (silent.length === 0) return ended;
    const held = await tx.labSession.findMany({
      where: { workerId, status: { in: [Status.ready, Status.stopping] } },
      select: { id: true, status: true },
    });
    const reason = `its lab host ${workerId} stopped and did not come back within ${graceSeconds} s; start the lab again`;
    for (const { id, status } of held) {
      if (status === Status.ready && (await lose(tx, id, reason)) === "applied") ended.lost.push(id);
      if (status === Status.stopping && (await stopped(tx, id)) === "applied") ended.stopped.push(id);
    }
    return ended;
  }, LOCKED_TRANSACTION);
}

/**
 * One sweep by worker `me` (never of itself): the starting sessions of gone workers placed again (step 1),
 * then the running and stopping sessions of workers silent for graceSeconds ended (step 2).
 */
export async function sweepWorkers(options: {
  db: Db;
  boss: Boss;
  me: string;
  staleSeconds: number;
  graceSeconds: number;
}): Promise<SweepReport> {
  const { db, boss, me, staleSeconds, graceSeconds } = options;
  const report: SweepReport = { moved: [], waiting: [], lost: [], stopped: [] };
  // Only gone workers that still hold a session not yet stopped (stopped workers' rows stay in the table).
  const gone = await db.$queryRaw<{ id: string; silent: boolean }[]>`
    SELECT w."id", (w."heartbeatAt" < ${secondsAgo(graceSeconds)}) AS "silent"
    FROM "Worker" w
    WHERE w."id" <> ${me} AND ${isGone(staleSeconds)}
      AND EXISTS (SELECT 1 FROM "LabSession" s WHERE s."workerId" = w."id" AND s."status"::text IN (${Prisma.join([...ACTIVE])}))
    ORDER BY w."id"`;
  for (const worker of gone) {
    const handed = await handBackSessions({
      db,
      boss,
      from: worker.id,
      while: "gone",
      staleSeconds,
      reason: (to) => `Its lab host ${worker.id} stopped answering; starting it on ${to}`,
    });
    report.moved.push(...handed.moved);
    report.waiting.push(...handed.waiting);
  }
  for (const worker of gone.filter((w) => w.silent)) {
    const ended = await endAfterGrace(db, worker.id, graceSeconds);
    report.lost.push(...ended.lost);
    report.stopped.push(...ended.stopped);
    if (ended.lost.length || ended.stopped.length)
      log.warn(
        { from: worker.id, lost: ended.lost.length, stopped: ended.stopped.length },
        `lab host ${worker.id} did not come back within ${graceSeconds} s`,
      );
  }
  return report;
}
