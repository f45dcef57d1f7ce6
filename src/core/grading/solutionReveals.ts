// Which steps of a session have had their solution revealed (SolutionReveal: one row per step at
// most, the first reveal kept). Read by progress and written into each Submission.
import type { Prisma } from "~/generated/prisma/client";
import type { Lab } from "~/core/labs/schema";

/** The session's revealed steps, in the lab's order (a row for a step the lab lacks is left out). */
export async function revealedSteps(db: Prisma.TransactionClient, sessionId: string, lab: Lab | undefined): Promise<string[]> {
  const rows = await db.solutionReveal.findMany({ where: { sessionId }, select: { stepId: true } });
  const revealed = new Set(rows.map((r) => r.stepId));
  return (lab?.steps ?? []).map((s) => s.id).filter((id) => revealed.has(id));
}

/** Records that `userId` revealed the step's solution, unless it was revealed before (the first is kept). */
export async function recordReveal(db: Prisma.TransactionClient, reveal: { sessionId: string; stepId: string; userId: string }) {
  // ON CONFLICT DO NOTHING: a repeated reveal writes nothing and announces nothing.
  await db.solutionReveal.createMany({ data: [reveal], skipDuplicates: true });
}
