// A check that has passed once stays passed (everPassed), so a step does not un-pass when the
// learner moves on and changes what it looked at. A failed result of a Check press counts as one
// of the check's failures, which unlock its hints (hints.ts); a Submit's results do not count.
import type { Prisma } from "~/generated/prisma/client";
import type { CheckOutcome } from "./outcomes";

/** Stores each check's latest result; returns, per check, whether it has ever passed. */
export async function recordOutcomes(
  db: Prisma.TransactionClient,
  sessionId: string,
  outcomes: CheckOutcome[],
  { countFailures = true }: { countFailures?: boolean } = {},
): Promise<Map<string, boolean>> {
  const ever = new Map<string, boolean>();
  for (const o of outcomes) {
    const failed = countFailures && !o.passed;
    const row = await db.checkResult.upsert({
      where: { sessionId_checkId: { sessionId, checkId: o.checkId } },
      create: {
        sessionId,
        checkId: o.checkId,
        stepId: o.stepId,
        passed: o.passed,
        everPassed: o.passed,
        message: o.message,
        failures: failed ? 1 : 0,
      },
      update: {
        passed: o.passed,
        message: o.message,
        ...(o.passed ? { everPassed: true } : {}),
        ...(failed ? { failures: { increment: 1 } } : {}),
      },
    });
    ever.set(o.checkId, row.everPassed);
  }
  return ever;
}
