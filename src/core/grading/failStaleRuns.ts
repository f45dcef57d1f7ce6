// A run whose job died without the task ending it (the worker stopped mid-run and pg-boss expired
// the job, or no worker took it at all) would otherwise wait forever. Past the longest time its job
// can take, it ends in error with that reason. The session page's subscription calls this before
// it reads a session's runs (on every (re)subscribe); the worker's minute cron may sweep them all.
import type { Db } from "~/core/db";
import { jobs } from "~/core/jobs/definitions";
import { RunKind, RunStatus } from "~/protocol/checkRun";

/** How long a job may wait for a worker before its run is given up. */
const QUEUE_WAIT_S = 120;

function lifetimeS(job: { queue: { expireInSeconds: number; retryLimit: number; retryDelay?: number } }): number {
  return QUEUE_WAIT_S + (job.queue.retryLimit + 1) * (job.queue.expireInSeconds + (job.queue.retryDelay ?? 0));
}

export const RUN_LIFETIME_S = { [RunKind.check]: lifetimeS(jobs.checkStep), [RunKind.submit]: lifetimeS(jobs.submitSession) };

/** Ends the stale runs of one session, or (no sessionId: a periodic sweep) of every session. */
export async function failStaleRuns(db: Db, sessionId?: string, now = new Date()): Promise<number> {
  let failed = 0;
  for (const kind of [RunKind.check, RunKind.submit]) {
    const { count } = await db.checkRun.updateMany({
      where: {
        ...(sessionId ? { sessionId } : {}),
        kind,
        status: { in: [RunStatus.queued, RunStatus.running] },
        createdAt: { lt: new Date(now.getTime() - RUN_LIFETIME_S[kind] * 1000) },
      },
      data: {
        status: RunStatus.error,
        reason: `it did not finish within ${RUN_LIFETIME_S[kind]} s (the worker may have stopped); try again`,
        finishedAt: now,
      },
    });
    failed += count;
  }
  return failed;
}
