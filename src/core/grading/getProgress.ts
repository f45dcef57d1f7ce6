import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import { fillTemplate, labPoints } from "~/core/labs/schema";
import { getSessionAccess } from "../sessions/access";
import { submissionResultsSchema } from "./outcomes";
import { paramsOfSession } from "~/core/sessions/sessionParams";
import { engineViewOf } from "~/core/sessions/engineView";

/** The lab's steps (instructions filled with the session's values), check results and submissions. */
export async function getProgress(options: { db: Db; userId: string; sessionId: string }) {
  const { session } = await getSessionAccess(options);
  const lab = labOfSession(session);
  const params = paramsOfSession(session);
  const [results, submissions] = await Promise.all([
    options.db.checkResult.findMany({ where: { sessionId: session.id } }),
    options.db.submission.findMany({ where: { sessionId: session.id }, orderBy: { attempt: "asc" } }),
  ]);
  const byCheck = new Map(results.map((r) => [r.checkId, r]));
  const steps = (lab?.steps ?? []).map((step) => {
    const checks = step.checks.map((check) => {
      const result = byCheck.get(check.id);
      return {
        id: check.id,
        description: fillTemplate(check.description, params),
        points: check.points,
        hints: check.hints,
        result: result
          ? { passed: result.passed, everPassed: result.everPassed, message: result.message, at: result.updatedAt }
          : null,
      };
    });
    return {
      id: step.id,
      title: step.title,
      instructions: fillTemplate(step.instructions, params),
      checks,
      passed: checks.every((c) => c.result?.everPassed),
    };
  });
  return {
    steps,
    totalPoints: lab ? labPoints(lab) : 0,
    submissions: submissions.map(({ id, attempt, score, maxScore, createdAt, results }) => ({
      id,
      attempt,
      score,
      maxScore,
      createdAt,
      results: submissionResultsSchema.parse(results),
    })),
    engine: engineViewOf(session),
  };
}
