import type { Prisma } from "~/generated/prisma/client";
import { RunStatus, UNFINISHED_RUNS } from "~/protocol/checkRun";

/**
 * Marks a run as started by a worker. "skipped" when it has already finished (it was given up as
 * stale, or a retried job already ended it): the caller then leaves it alone.
 */
export async function startRun(db: Prisma.TransactionClient, runId: string): Promise<"applied" | "skipped"> {
  const { count } = await db.checkRun.updateMany({
    where: { id: runId, status: { in: [...UNFINISHED_RUNS] } },
    data: { status: RunStatus.running, startedAt: new Date() },
  });
  return count === 1 ? "applied" : "skipped";
}
