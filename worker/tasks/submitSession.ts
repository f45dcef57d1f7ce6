// Grade the whole lab from live state and record an immutable Submission. A check counts when it
// passes now or has passed before in this session. The row's id is the request's, so a retried
// job does not add a second attempt.
import type { Db } from "~/core/db";
import { findLab } from "~/core/labs/catalog";
import { sessionParams } from "~/core/grading/sessionParams";
import { jobs } from "~/core/jobs/definitions";
import { labPoints } from "~/core/labs/schema";
import { runChecks } from "~/core/grading/runChecks";
import type { Provisioner } from "~/core/provisioner/port";
import { recordOutcomes } from "./checkStep";
import type { Task } from "./types";

export function submitSessionTask(deps: { db: Db; provisioner: Provisioner }): Task {
  const { db } = deps;
  return {
    job: "submitSession",
    async run(job) {
      const { sessionId, userId, requestId } = jobs.submitSession.payload.parse(job.data);
      if (await db.submission.findUnique({ where: { id: requestId } })) return;
      const session = await db.labSession.findUnique({ where: { id: sessionId } });
      const lab = session && findLab(session.labSlug);
      if (!session || !lab) return;
      const outcomes = await runChecks(deps.provisioner, sessionId, lab, sessionParams(session.params));
      const ever = await recordOutcomes(db, sessionId, outcomes);
      const results = outcomes.map((o) => ({ ...o, earned: ever.get(o.checkId) ? o.points : 0 }));
      const score = results.reduce((sum, r) => sum + r.earned, 0);
      await db.$transaction(async (tx) => {
        const attempt = (await tx.submission.count({ where: { sessionId } })) + 1;
        await tx.submission.create({
          data: { id: requestId, sessionId, userId, labSlug: lab.slug, attempt, score, maxScore: labPoints(lab), results },
        });
      });
    },
  };
}
