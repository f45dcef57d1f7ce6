import type { Prisma } from "~/generated/prisma/client";
import { RunStatus, UNFINISHED_RUNS } from "~/protocol/checkRun";
import { runResultsSchema, type CheckOutcome } from "./outcomes";

export type RunEnd = { results: CheckOutcome[] } | { couldNotRun: string };

/**
 * Writes a run's outcome once: passed when every check it ran holds, failed otherwise, or error
 * with the reason it could not run. A run that has already finished keeps its first outcome.
 */
export async function finishRun(db: Prisma.TransactionClient, runId: string, end: RunEnd): Promise<void> {
  const data =
    "couldNotRun" in end
      ? { status: RunStatus.error, reason: end.couldNotRun }
      : {
          status: end.results.every((r) => r.passed) ? RunStatus.passed : RunStatus.failed,
          results: runResultsSchema.parse(end.results),
        };
  await db.checkRun.updateMany({
    where: { id: runId, status: { in: [...UNFINISHED_RUNS] } },
    data: { ...data, finishedAt: new Date() },
  });
}
