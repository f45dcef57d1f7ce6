// What the page shows of each step, from the lab, the session's values, its check results and its
// revealed steps. Only what the learner has earned leaves the server: the hints their failures
// unlocked, and a step's solution once someone revealed it.
import { fillTemplate, type Lab } from "~/core/labs/schema";
import type { SessionParams } from "~/core/sessions/sessionParams";
import { unlockedHints } from "./hints";

/** The stored result of one check (a CheckResult row's fields that progress shows). */
export type StoredResult = {
  checkId: string;
  passed: boolean;
  everPassed: boolean;
  message: string;
  failures: number;
  updatedAt: Date;
};

export function stepsProgress(
  lab: Lab | undefined,
  params: SessionParams,
  results: readonly StoredResult[],
  revealed: ReadonlySet<string>,
) {
  const byCheck = new Map(results.map((r) => [r.checkId, r]));
  return (lab?.steps ?? []).map((step) => {
    const checks = step.checks.map((check) => {
      const result = byCheck.get(check.id);
      const failures = result?.failures ?? 0;
      return {
        id: check.id,
        description: fillTemplate(check.description, params),
        points: check.points,
        /** Only the hints unlocked so far: one after the first failed Check, two after the second. */
        hints: unlockedHints(check.hints, failures).map((hint) => fillTemplate(hint, params)),
        /** Failed results of Check presses for this check in this session. */
        failures,
        result: result
          ? { passed: result.passed, everPassed: result.everPassed, message: result.message, at: result.updatedAt }
          : null,
      };
    });
    const isRevealed = revealed.has(step.id);
    return {
      id: step.id,
      title: step.title,
      instructions: fillTemplate(step.instructions, params),
      checks,
      passed: checks.every((c) => c.result?.everPassed),
      revealed: isRevealed,
      /** The step's solution (Markdown, filled), only once revealed. */
      solution: isRevealed ? fillTemplate(step.solution, params) : null,
    };
  });
}
