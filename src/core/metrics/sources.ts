// What the scrape-time gauges read: the database (sessions, the workers' registry) and pg-boss (queues).
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { jobs } from "~/core/jobs/definitions";
import { SETTLED, SESSION_STATUSES } from "~/protocol/sessionStatus";
import { NOW_UTC } from "~/core/workers/registry";
import type { QueueDepth, SessionCount, WorkerLoad } from "./definitions";

const UNSETTLED = SESSION_STATUSES.filter((status) => !SETTLED.includes(status));

/**
 * Sessions not settled, by status, worker and, for an unclaimed pooled one, its lab (`pool`): one
 * grouped query per scrape (index on workerId, status), shared by wireroom_sessions and wireroom_pool_sessions.
 */
export async function sessionCounts(db: Db): Promise<SessionCount[]> {
  const rows = await db.$queryRaw<Array<{ status: string; workerId: string | null; pool: string | null; count: number }>>`
    SELECT "status"::text AS "status", "workerId", CASE WHEN "pooledAt" IS NOT NULL THEN "labSlug" END AS "pool",
           count(*)::int AS "count"
    FROM "LabSession" WHERE "status" = ANY(${[...UNSETTLED]}::"SessionStatus"[])
    GROUP BY 1, 2, 3`;
  return rows.map(({ pool, ...row }) => (pool === null ? row : { ...row, pool }));
}

/** The registry's workers that have not stopped, with their heartbeat's age by the database's clock. */
export async function workerLoads(db: Db): Promise<WorkerLoad[]> {
  const rows = await db.$queryRaw<Array<Omit<WorkerLoad, "heartbeatAgeSeconds"> & { age: number }>>`
    SELECT "id", "capacity", "containers", "terminals", "draining",
           EXTRACT(EPOCH FROM (${NOW_UTC} - "heartbeatAt"))::float8 AS "age"
    FROM "Worker" WHERE "stoppedAt" IS NULL ORDER BY "id"`;
  return rows.map(({ age, ...w }) => ({ ...w, heartbeatAgeSeconds: Math.max(0, age) }));
}

const JOB_QUEUES = Object.values(jobs).map((job) => job.name);

/** Our queues (shared, and each worker's own: `<name>/<worker>`) with pg-boss's counts; older unused queues left out. */
export async function queueDepths(boss: Pick<Boss, "getQueues">): Promise<QueueDepth[]> {
  const queues = await boss.getQueues();
  return queues
    .filter((q) => JOB_QUEUES.some((name) => q.name === name || q.name.startsWith(`${name}/`)))
    .map((q) => ({ queue: q.name, queued: q.queuedCount, active: q.activeCount }));
}
