import type { Db } from "~/core/db";
import { RunKind, RunStatus } from "~/protocol/checkRun";

/**
 * For a check job that carries no run id (queued by an older version, or sent straight to the
 * queue): the presses that joined it have runs of their own, waiting for it. They are this job's:
 * marked started here, ended with its outcome.
 */
export async function claimWaitingRuns(db: Db, sessionId: string, stepId: string): Promise<string[]> {
  const waiting = await db.checkRun.findMany({
    where: { sessionId, stepId, kind: RunKind.check, status: RunStatus.queued },
    select: { id: true },
  });
  const ids = waiting.map((r) => r.id);
  if (ids.length)
    await db.checkRun.updateMany({
      where: { id: { in: ids }, status: RunStatus.queued },
      data: { status: RunStatus.running, startedAt: new Date() },
    });
  return ids;
}
