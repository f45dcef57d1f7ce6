// Stops unclaimed pooled sessions inside the caller's transaction: the rows are picked and locked
// with SKIP LOCKED (one a start is claiming right now is left to it), moved to STOPPING, and their
// teardown enqueued on their worker's queue in the same transaction.
import { Prisma, type LabSession } from "~/generated/prisma/client";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { requestStop } from "~/core/sessions/transitions";
import { EndReason } from "~/protocol/sessionEnd";
import { LIVE } from "~/protocol/sessionStatus";
import { POOL_OWNER } from "./poolOwner";

type Tx = Prisma.TransactionClient;

/** Unclaimed pooled sessions that are starting or ready, oldest first, locked for this transaction (skipping held ones). */
export async function lockPooled(tx: Tx, where: Prisma.Sql = Prisma.sql`TRUE`, limit = 1000): Promise<LabSession[]> {
  const ids = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "LabSession"
    WHERE "pooledAt" IS NOT NULL AND "ownerId" = ${POOL_OWNER}
      AND "status"::text IN (${Prisma.join([...LIVE])}) AND ${where}
    ORDER BY "pooledAt", "id"
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
  if (!ids.length) return [];
  const rows = await tx.labSession.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
  const order = new Map(ids.map((r, i) => [r.id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/**
 * Stops a pooled session locked by lockPooled. Nobody sees its end: it is no one's. The end reason is
 * "expired" (a pooled session's life is its pool age); `reason` says why in the row.
 */
export async function stopPooled(tx: Tx, boss: Boss, row: LabSession, reason: string): Promise<boolean> {
  if ((await requestStop(tx, row.id, reason, EndReason.expired)) === "skipped") return false;
  await enqueue(boss, "teardownSession", { sessionId: row.id }, { tx, workerId: row.workerId });
  return true;
}
