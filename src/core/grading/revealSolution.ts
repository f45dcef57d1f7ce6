// "Show solution" on a step: the owner or a driver may ask (a viewer may not), the first reveal of
// each step is recorded (who and when) and announced by the database, so every page of the
// session shows the solution, and the next submission says the step was revealed.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { fillTemplate } from "~/core/labs/schema";
import { labOfSession, NO_STORED_SOLUTION } from "~/core/labs/sessionLab";
import { getSessionAccess } from "~/core/access/sessions";
import { paramsOfSession } from "~/core/sessions/sessionParams";
import { mayCheck } from "~/protocol/roles";
import { labStep } from "./labStep";
import { recordReveal } from "./solutionReveals";

export async function revealSolution(options: {
  db: Db;
  userId: string;
  sessionId: string;
  stepId: string;
}): Promise<{ solution: string }> {
  const { session, access } = await getSessionAccess(options);
  if (!mayCheck(access)) throw new AppError("FORBIDDEN", "Watchers cannot reveal solutions; the lab's owner or a driver can.");
  const lab = labOfSession(session);
  if (!lab) throw new AppError("NOT_FOUND", `The lab "${session.labSlug}" is no longer offered.`);
  const step = labStep(lab, options.stepId);
  // A lab stored before steps had solutions has none to show: nothing is revealed, nothing recorded.
  if (step.solution === NO_STORED_SOLUTION) throw new AppError("NOT_FOUND", NO_STORED_SOLUTION);
  await recordReveal(options.db, { sessionId: session.id, stepId: step.id, userId: options.userId });
  return { solution: fillTemplate(step.solution, paramsOfSession(session)) };
}
