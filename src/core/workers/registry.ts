// The registry of workers (lab hosts): each registers at start and writes a heartbeat; the web places
// sessions on the live ones (placement.ts). Every time is the database's clock (NOW_UTC), never a
// process's, so clock skew between machines changes nothing.
import { Prisma } from "~/generated/prisma/client";
import type { Worker } from "~/generated/prisma/client";

type Sql = Prisma.TransactionClient;

export type { Worker };

/** The database's now() as the UTC timestamp Prisma's DateTime columns hold. */
export const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** The database's clock `seconds` ago, as the UTC timestamps the Worker table holds. */
export const secondsAgo = (seconds: number) => Prisma.sql`(${NOW_UTC} - make_interval(secs => ${seconds}::double precision))`;

export type WorkerRegistration = { id: string; publicUrl: string; engineId: string; capacity: number };

/** Registers (or re-registers after a restart) a worker: live again, not draining, not stopped. */
export async function registerWorker(db: Sql, worker: WorkerRegistration): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "Worker" ("id", "publicUrl", "engineId", "capacity", "draining", "startedAt", "heartbeatAt", "stoppedAt")
    VALUES (${worker.id}, ${worker.publicUrl}, ${worker.engineId}, ${worker.capacity}, false, ${NOW_UTC}, ${NOW_UTC}, NULL)
    ON CONFLICT ("id") DO UPDATE SET
      "publicUrl" = EXCLUDED."publicUrl", "engineId" = EXCLUDED."engineId", "capacity" = EXCLUDED."capacity",
      "draining" = false, "startedAt" = EXCLUDED."startedAt", "heartbeatAt" = EXCLUDED."heartbeatAt", "stoppedAt" = NULL`;
}

/** The worker's heartbeat with its load. False when it is not registered (or was marked stopped): register again. */
export async function heartbeat(db: Sql, id: string, load: { containers: number; terminals: number }): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "Worker" SET "heartbeatAt" = ${NOW_UTC}, "containers" = ${load.containers}, "terminals" = ${load.terminals}
    WHERE "id" = ${id} AND "stoppedAt" IS NULL`;
  return updated > 0;
}

/** The worker is shutting down: placement skips it from now on. */
export async function markDraining(db: Sql, id: string): Promise<void> {
  await db.$executeRaw`UPDATE "Worker" SET "draining" = true WHERE "id" = ${id}`;
}

/** The worker has stopped (after draining). */
export async function markStopped(db: Sql, id: string): Promise<void> {
  await db.$executeRaw`UPDATE "Worker" SET "draining" = true, "stoppedAt" = ${NOW_UTC} WHERE "id" = ${id}`;
}

/** Workers that may take new sessions: a heartbeat within staleSeconds, not draining, not stopped; by id. */
export function liveWorkers(db: Sql, staleSeconds: number): Promise<Worker[]> {
  return db.$queryRaw<Worker[]>`
    SELECT * FROM "Worker"
    WHERE "heartbeatAt" > ${secondsAgo(staleSeconds)}
      AND NOT "draining" AND "stoppedAt" IS NULL
    ORDER BY "id"`;
}

export function workerById(db: Sql, id: string): Promise<Worker | null> {
  return db.worker.findUnique({ where: { id } });
}
