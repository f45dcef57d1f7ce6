import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import { labPoints } from "~/core/labs/schema";
import { getSessionAccess } from "~/core/access/sessions";
import { submissionResultsSchema } from "./outcomes";
import { paramsOfSession } from "~/core/sessions/sessionParams";
import { engineViewOf } from "~/core/sessions/engineView";
import { revealedSteps } from "./solutionReveals";
import { stepsProgress } from "./stepProgress";

/**
 * The lab's steps (instructions filled with the session's values, unlocked hints, revealed
 * solutions), check results and submissions.
 */
export async function getProgress(options: { db: Db; userId: string; sessionId: string }) {
  const { session } = await getSessionAccess(options);
  const lab = labOfSession(session);
  const params = paramsOfSession(session);
  const [results, submissions, revealed] = await Promise.all([
    options.db.checkResult.findMany({ where: { sessionId: session.id } }),
    options.db.submission.findMany({ where: { sessionId: session.id }, orderBy: { attempt: "asc" } }),
    revealedSteps(options.db, session.id, lab),
  ]);
  return {
    steps: stepsProgress(lab, params, results, new Set(revealed)),
    totalPoints: lab ? labPoints(lab) : 0,
    submissions: submissions.map(({ id, attempt, score, maxScore, createdAt, results, revealedSteps }) => ({
      id,
      attempt,
      score,
      maxScore,
      createdAt,
      results: submissionResultsSchema.parse(results),
      /** The steps whose solution was revealed before this submission. */
      revealedSteps,
    })),
    engine: engineViewOf(session),
  };
}
