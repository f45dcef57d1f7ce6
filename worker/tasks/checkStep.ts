// The learner pressed Check: run the step's checks and record each result. A check that has
// passed once stays passed (everPassed), so a step does not un-pass when the learner moves on.
import type { Db } from "~/core/db";
import { findLab } from "~/core/labs/catalog";
import { sessionParams } from "~/core/grading/sessionParams";
import { jobs } from "~/core/jobs/definitions";
import { runChecks, type CheckOutcome } from "~/core/grading/runChecks";
import type { Provisioner } from "~/core/provisioner/port";
import type { Task } from "./types";

export async function recordOutcomes(db: Db, sessionId: string, outcomes: CheckOutcome[]): Promise<Map<string, boolean>> {
  const ever = new Map<string, boolean>();
  for (const o of outcomes) {
    const row = await db.checkResult.upsert({
      where: { sessionId_checkId: { sessionId, checkId: o.checkId } },
      create: { sessionId, checkId: o.checkId, stepId: o.stepId, passed: o.passed, everPassed: o.passed, message: o.message },
      update: { passed: o.passed, message: o.message, ...(o.passed ? { everPassed: true } : {}) },
    });
    ever.set(o.checkId, row.everPassed);
  }
  return ever;
}

export function checkStepTask(deps: { db: Db; provisioner: Provisioner }): Task {
  return {
    job: "checkStep",
    concurrency: 16, // each check is a few short execs: many sessions check at once
    async run(job) {
      const { sessionId, stepId } = jobs.checkStep.payload.parse(job.data);
      const session = await deps.db.labSession.findUnique({ where: { id: sessionId } });
      const lab = session && findLab(session.labSlug);
      if (!session || session.status !== "READY" || !lab) return;
      const outcomes = await runChecks(deps.provisioner, sessionId, lab, sessionParams(session.params), stepId);
      await recordOutcomes(deps.db, sessionId, outcomes);
    },
  };
}
