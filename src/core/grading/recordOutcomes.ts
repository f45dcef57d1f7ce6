// A check that has passed once stays passed (everPassed), so a step does not un-pass when the
// learner moves on and changes what it looked at.
import type { Prisma } from "~/generated/prisma/client";
import type { CheckOutcome } from "./outcomes";

/** Stores each check's latest result; returns, per check, whether it has ever passed. */
export async function recordOutcomes(
  db: Prisma.TransactionClient,
  sessionId: string,
  outcomes: CheckOutcome[],
): Promise<Map<string, boolean>> {
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
