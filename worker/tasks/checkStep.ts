// The learner pressed Check: run the step's checks, record each result and end the run with its
// outcome. Whatever stops the checks (the session is not READY, its lab is gone, the engine threw)
// ends the run in error with the reason, so the page never waits for a run that will not finish.
import type { Db } from "~/core/db";
import { claimWaitingRuns } from "~/core/grading/claimWaitingRuns";
import { CheckCouldNotRunError, couldNotRunReason } from "~/core/grading/couldNotRun";
import { finishRun } from "~/core/grading/finishRun";
import { recordOutcomes } from "~/core/grading/recordOutcomes";
import { runnableSession } from "~/core/grading/runnableSession";
import { startRun } from "~/core/grading/startRun";
import { jobs } from "~/core/jobs/definitions";
import { logger } from "~/core/log";
import { checkSeconds } from "~/core/metrics/definitions";
import type { Provisioner } from "~/core/provisioner/port";
import { inThreadRunner, type CheckRunner } from "../checks/runner";
import type { Task } from "./types";

export function checkStepTask(deps: { db: Db; provisioner: Provisioner; workerId?: string; checks?: CheckRunner }): Task {
  const { db } = deps;
  // The worker passes its check threads (worker/checks/pool.ts); otherwise they run on this thread.
  const checks = deps.checks ?? inThreadRunner(deps.provisioner);
  return {
    job: "checkStep",
    concurrency: 16, // each check is a few short execs: many sessions check at once
    async run(job) {
      const { sessionId, stepId, runId } = jobs.checkStep.payload.parse(job.data);
      const runIds = runId ? [runId] : [];
      const log = logger.child({ component: "check", workerId: deps.workerId, sessionId, jobId: job.id, runId });
      const timer = checkSeconds.startTimer({ kind: "check", outcome: "ok" });
      try {
        // A run already ended (given up as stale) is not run late.
        if (runId && (await startRun(db, runId)) === "skipped") return;
        if (!runId) runIds.push(...(await claimWaitingRuns(db, sessionId, stepId)));
        const { lab, params } = await runnableSession(db, sessionId);
        const results = await checks.run({ sessionId, lab, params, stepId });
        await db.$transaction(async (tx) => {
          await recordOutcomes(tx, sessionId, results);
          for (const id of runIds) await finishRun(tx, id, { results });
        });
        log.info({ stepId, passed: results.filter((r) => r.passed).length, checks: results.length }, "checks ran");
      } catch (error) {
        timer({ outcome: "error" });
        if (!(error instanceof CheckCouldNotRunError))
          log.error({ err: error }, `check ${runId ?? job.id} of session ${sessionId} failed`);
        for (const id of runIds) await finishRun(db, id, { couldNotRun: couldNotRunReason(error) });
        // Checks are not retried (retryLimit 0): the run says why; the learner presses again.
        return;
      }
      timer();
    },
  };
}
