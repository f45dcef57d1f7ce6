import { randomUUID } from "node:crypto";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { RunKind, UNFINISHED_RUNS } from "~/protocol/checkRun";
import { mayCheck } from "~/protocol/roles";
import { labStep } from "./labStep";
import { runningLab } from "./runningLab";

type CheckRequest = { db: Db; boss: Boss; userId: string; sessionId: string; stepId: string };
/** runId: the run whose outcome answers this press (the page waits for it on the push channel). */
export type CheckRequested = { runId: string; stepId: string; coalesced: boolean };

/** Presses being handled by this web process, by learner, session and step. */
const pressesInFlight = new Map<string, Promise<CheckRequested>>();

/**
 * "Check" on a step: its checks run on the worker, which writes the run's outcome. One check per
 * session and step runs at a time and one more waits (queue policy `stately`); a press while one
 * waits joins it (`coalesced`, with that run's id): the waiting run reads the containers after this
 * press. Presses by the same learner that arrive while one is being handled here join it before any
 * query, so a burst of presses costs this process one request's work, not one per press.
 */
export function requestCheck(options: CheckRequest): Promise<CheckRequested> {
  const key = JSON.stringify([options.userId, options.sessionId, options.stepId]);
  const pending = pressesInFlight.get(key);
  if (pending) return pending.then((result) => ({ ...result, coalesced: true }));
  const press = enqueueCheck(options).finally(() => pressesInFlight.delete(key));
  pressesInFlight.set(key, press);
  return press;
}

async function enqueueCheck(options: CheckRequest): Promise<CheckRequested> {
  const { session, lab } = await runningLab(options, mayCheck, "Watchers cannot run checks or submit; the lab's owner can.");
  const { sessionId, stepId } = options;
  labStep(lab, stepId);
  // The job and its run are written together: a worker never sees a job whose run is missing.
  return options.db.$transaction(async (tx) => {
    const runId = randomUUID();
    const jobId = await enqueueUnlessInFlight(
      options.boss,
      "checkStep",
      { sessionId, stepId, runId },
      { tx, workerId: session.workerId },
    );
    if (jobId) {
      await tx.checkRun.create({ data: { id: runId, sessionId, kind: RunKind.check, stepId, requestedBy: options.userId } });
      return { runId, stepId, coalesced: false };
    }
    // The queue holds a job for this step that no worker has started: its run is still queued
    // (status sorts in the enum's order, queued first).
    const joined = await tx.checkRun.findFirst({
      where: { sessionId, kind: RunKind.check, stepId, status: { in: [...UNFINISHED_RUNS] } },
      orderBy: [{ status: "asc" }, { createdAt: "desc" }],
      select: { id: true, status: true },
    });
    if (joined) return { runId: joined.id, stepId, coalesced: true };
    // The waiting job has no run (an older version queued it): this press's run waits for it, and
    // the task ends every run waiting for its step (claimWaitingRuns).
    await tx.checkRun.create({ data: { id: runId, sessionId, kind: RunKind.check, stepId, requestedBy: options.userId } });
    return { runId, stepId, coalesced: true };
  });
}
