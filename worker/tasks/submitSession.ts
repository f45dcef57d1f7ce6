// Grade the whole lab from live state, record an immutable Submission and end the run. A check
// counts when it passes now or has passed before in this session. The Submission's id is the
// run's, so a retried job does not add a second attempt. It records which steps' solutions were
// revealed before it (revealedSteps); its failed results do not unlock hints (only Check presses
// do). Engine errors are retried by the queue; the last attempt, or anything retrying cannot fix
// (not READY, lab gone), ends the run in error.
import type { Db } from "~/core/db";
import { CheckCouldNotRunError, couldNotRunReason, isHopeless } from "~/core/grading/couldNotRun";
import { finishRun } from "~/core/grading/finishRun";
import { submissionResultsSchema } from "~/core/grading/outcomes";
import { recordOutcomes } from "~/core/grading/recordOutcomes";
import { runnableSession } from "~/core/grading/runnableSession";
import { revealedSteps } from "~/core/grading/solutionReveals";
import { startRun } from "~/core/grading/startRun";
import { jobs } from "~/core/jobs/definitions";
import { labPoints } from "~/core/labs/schema";
import { logger } from "~/core/log";
import { checkSeconds } from "~/core/metrics/definitions";
import type { Provisioner } from "~/core/provisioner/port";
import { inThreadRunner, type CheckRunner } from "../checks/runner";
import { isFinalAttempt, type Task } from "./types";

export function submitSessionTask(deps: { db: Db; provisioner: Provisioner; workerId?: string; checks?: CheckRunner }): Task {
  const { db } = deps;
  // The worker passes its check threads (worker/checks/pool.ts); otherwise they run on this thread.
  const checks = deps.checks ?? inThreadRunner(deps.provisioner);
  return {
    job: "submitSession",
    async run(job) {
      const { sessionId, userId, requestId: runId } = jobs.submitSession.payload.parse(job.data);
      // An earlier attempt wrote it (and ended its run in the same transaction).
      if (await db.submission.findUnique({ where: { id: runId }, select: { id: true } })) return;
      // A run already ended (given up as stale) is not run late; jobs from before runs have none.
      if (
        (await startRun(db, runId)) === "skipped" &&
        (await db.checkRun.findUnique({ where: { id: runId }, select: { id: true } }))
      )
        return;
      const log = logger.child({ component: "submit", workerId: deps.workerId, sessionId, jobId: job.id, runId });
      const timer = checkSeconds.startTimer({ kind: "submit", outcome: "ok" });
      try {
        const { lab, params } = await runnableSession(db, sessionId);
        const outcomes = await checks.run({ sessionId, lab, params });
        const recorded = await db.$transaction(async (tx) => {
          const ever = await recordOutcomes(tx, sessionId, outcomes, { countFailures: false });
          const results = submissionResultsSchema.parse(
            outcomes.map((o) => ({ ...o, earned: ever.get(o.checkId) ? o.points : 0 })),
          );
          const score = results.reduce((sum, r) => sum + r.earned, 0);
          const maxScore = labPoints(lab);
          const attempt = (await tx.submission.count({ where: { sessionId } })) + 1;
          const revealed = await revealedSteps(tx, sessionId, lab);
          await tx.submission.create({
            data: { id: runId, sessionId, userId, labSlug: lab.slug, attempt, score, maxScore, results, revealedSteps: revealed },
          });
          // A submit passes with full marks; its results say which checks counted.
          await finishRun(tx, runId, { results: results.map(({ earned, ...o }) => ({ ...o, passed: earned > 0 })) });
          return { attempt, score, maxScore };
        });
        timer();
        log.info(recorded, "submission recorded");
      } catch (error) {
        timer({ outcome: "error" });
        const hopeless = isHopeless(error);
        if (!hopeless && !isFinalAttempt(job)) throw error;
        if (!(error instanceof CheckCouldNotRunError))
          log.error({ err: error }, `submission ${runId} of session ${sessionId} failed`);
        await finishRun(db, runId, { couldNotRun: couldNotRunReason(error) });
      }
    },
  };
}
