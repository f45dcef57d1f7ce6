// The runs a session's page may be waiting for, as the page sees them.
import type { Db } from "~/core/db";
import type { CheckRun } from "~/generated/prisma/client";
import type { RunView } from "~/protocol/checkRun";
import { failStaleRuns } from "./failStaleRuns";

/** Runs older than this are no longer waited for by any page (their jobs are long over). */
const RECENT_MS = 15 * 60_000;

export function toRunView(run: CheckRun): RunView {
  return {
    id: run.id,
    kind: run.kind,
    stepId: run.stepId,
    status: run.status,
    reason: run.reason,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

/** The session's recent runs, newest first; stale ones are ended first, so none waits forever. */
export async function readRecentRuns(db: Db, sessionId: string): Promise<RunView[]> {
  await failStaleRuns(db, sessionId);
  const runs = await db.checkRun.findMany({
    where: { sessionId, createdAt: { gte: new Date(Date.now() - RECENT_MS) } },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return runs.map(toRunView);
}
