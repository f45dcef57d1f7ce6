// Keeps each lab's pool of ready sessions at its size (SESSION_POOL), run by every worker on its
// heartbeat loop, one worker at a time (an advisory lock; a worker that finds it held skips this
// round). A pooled session is a normal session: placed by placeSession (its containers count on its
// worker like any other), provisioned by the normal job, stopped by the normal teardown.
// Learners come first: nothing is made while a session waits in line for a place.
import { Prisma } from "~/generated/prisma/client";
import { advisoryXactLock, LOCKED_TRANSACTION, LOCKS, tryAdvisoryXactLock } from "~/core/advisoryLock";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { findLab } from "~/core/labs/catalog";
import { sessionContainerCount, type Lab } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { newSessionParams } from "~/core/sessions/sessionParams";
import { QUEUED_REASON } from "~/core/sessions/transitions";
import { findPlace, type PlatformCaps } from "~/core/queue/platformRoom";
import { liveWorkers, NOW_UTC } from "~/core/workers/registry";
import { LIVE, STARTING, Status } from "~/protocol/sessionStatus";
import { POOL_OWNER } from "./poolOwner";
import { POOL_EXPIRY_MARGIN_MINUTES, POOL_MAX_AGE_MINUTES, POOL_STARTING_MAX } from "./poolTuning";
import type { PoolSizes } from "./poolSetting";
import { lockPooled, stopPooled } from "./stopPooled";

type Tx = Prisma.TransactionClient;

export const REPLACED_REASON = "Left the pool: its lab changed, its pool shrank, or its pool age ran out";

export type RefillReport = {
  /** busy: another worker is refilling; waiting: learners wait in line for a place; none: no pool configured. */
  skipped?: "busy" | "waiting" | "none";
  created: string[];
  stopped: string[];
  /** Why it stopped making sessions before the pools were full (every lab host full, the caps reached, none live). */
  stoppedBecause?: string;
};

/**
 * The unclaimed pooled sessions that count as in the pool: starting or ready, on a live worker (one
 * on a stale worker cannot be claimed, so it leaves no place unfilled), or unplaced and starting.
 */
export function inThePool(liveWorkerIds: string[]) {
  return {
    pooledAt: { not: null },
    ownerId: POOL_OWNER,
    status: { in: [...LIVE] },
    OR: [{ workerId: { in: liveWorkerIds } }, { workerId: null, status: { in: [...STARTING] } }],
  } satisfies Prisma.LabSessionWhereInput;
}

/** inThePool as a condition for lockPooled. */
export const inThePoolSql = (liveWorkerIds: string[]) =>
  Prisma.sql`("workerId" = ANY(${liveWorkerIds}::text[]) OR ("workerId" IS NULL AND "status"::text IN (${Prisma.join([...STARTING])})))`;

export async function refillPools(options: {
  db: Db;
  boss: Boss;
  sizes: PoolSizes;
  staleSeconds: number;
  /** The platform's caps (MAX_ACTIVE_SESSIONS, MAX_ACTIVE_CONTAINERS): pooled sessions count in them like any. */
  caps?: PlatformCaps;
}): Promise<RefillReport> {
  const report: RefillReport = { created: [], stopped: [] };
  if (options.sizes.size === 0) return { ...report, skipped: "none" };
  // The labs as this worker's catalog has them now (a slug that left the catalog has no pool).
  const labs = [...options.sizes].flatMap(([slug, size]) => {
    const lab = findLab(slug);
    return lab && size > 0 ? [{ lab, size, hash: sessionLabColumns(lab).labHash }] : [];
  });
  return options.db.$transaction(async (tx) => {
    if (!(await tryAdvisoryXactLock(tx, LOCKS.poolRefill, "all"))) return { ...report, skipped: "busy" };
    // The platform's lock before any row: a start (which takes it before releasing pooled rows) never
    // waits for a row this transaction holds while this one waits for the lock.
    await advisoryXactLock(tx, LOCKS.platformCapacity, "all");
    if ((await tx.labSession.count({ where: { status: Status.waiting } })) > 0) return { ...report, skipped: "waiting" };

    // Out of date: a lab with no pool now, an old hash, or too close to its expiry.
    const current = labs.map(({ lab, hash }) => Prisma.sql`(${lab.slug}, ${hash})`);
    const outOfDate = Prisma.sql`(${current.length ? Prisma.sql`("labSlug", "labHash") NOT IN (${Prisma.join(current)})` : Prisma.sql`TRUE`}
      OR "expiresAt" <= ${NOW_UTC} + make_interval(mins => ${POOL_EXPIRY_MARGIN_MINUTES}::int))`;
    for (const row of await lockPooled(tx, outOfDate)) {
      if (await stopPooled(tx, options.boss, row, REPLACED_REASON)) report.stopped.push(row.id);
    }

    const live = (await liveWorkers(tx, options.staleSeconds)).map((worker) => worker.id);
    const pooled = inThePool(live);
    const missing = new Map<Lab, number>();
    for (const { lab, size } of labs) {
      const have = await tx.labSession.count({ where: { ...pooled, labSlug: lab.slug } });
      if (have > size) {
        // A pool that shrank: its oldest extra sessions go.
        for (const row of await lockPooled(tx, Prisma.sql`"labSlug" = ${lab.slug} AND ${inThePoolSql(live)}`, have - size)) {
          if (await stopPooled(tx, options.boss, row, REPLACED_REASON)) report.stopped.push(row.id);
        }
      }
      if (have < size) missing.set(lab, size - have);
    }

    let budget = POOL_STARTING_MAX - (await tx.labSession.count({ where: { ...pooled, status: { in: [...STARTING] } } }));
    // One session per lab per pass, so a large pool does not starve the others of the budget.
    while (budget > 0 && missing.size > 0) {
      for (const [lab, count] of missing) {
        if (budget <= 0) break;
        const made = await createPooled(tx, options, lab);
        if (typeof made !== "string" || made === "") {
          report.stoppedBecause = made === "" ? "no lab host is live" : made.reason;
          return report;
        }
        report.created.push(made);
        budget--;
        if (count > 1) missing.set(lab, count - 1);
        else missing.delete(lab);
      }
    }
    return report;
  }, LOCKED_TRANSACTION);
}

/**
 * A pooled session of the lab placed like any start (within the caps, on a live worker with room),
 * with its provision job: its id; "" when no worker is live; the refusal when there is no room.
 */
async function createPooled(
  tx: Tx,
  options: { boss: Boss; staleSeconds: number; caps?: PlatformCaps },
  lab: Lab,
): Promise<string | { reason: string }> {
  const place = await findPlace(tx, {
    needed: sessionContainerCount(lab),
    caps: options.caps ?? {},
    staleSeconds: options.staleSeconds,
  });
  if ("full" in place) return { reason: place.full.message };
  const { workerId } = place;
  // An unplaced pool session would wait on the shared queue for nobody: none is made without a live worker.
  if (workerId === null) return "";
  const now = new Date();
  const row = await tx.labSession.create({
    data: {
      labSlug: lab.slug,
      ...sessionLabColumns(lab),
      ownerId: POOL_OWNER,
      pooledAt: now,
      statusReason: QUEUED_REASON,
      expiresAt: new Date(now.getTime() + POOL_MAX_AGE_MINUTES * 60_000),
      params: newSessionParams(),
      workerId,
    },
  });
  await enqueue(options.boss, "provisionSession", { sessionId: row.id, labHash: row.labHash ?? undefined }, { tx, workerId });
  return row.id;
}
