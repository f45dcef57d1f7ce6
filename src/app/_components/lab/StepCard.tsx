"use client";

import { useMutation } from "@tanstack/react-query";
import type { RunView } from "~/protocol/checkRun";
import { useTRPC } from "~/trpc/react";
import { parseInline } from "~/protocol/instructions";
import { InlineText, Instructions } from "../Instructions";
import type { TypeCommand } from "./CommandBlock";
import type { LiveProgress } from "../session/useSessionLive";
import { RunStatusLine } from "./RunStatusLine";
import { StepSolution } from "./StepSolution";
import { useCheckRun } from "./useCheckRun";

type Step = LiveProgress["steps"][number];

const STEP_OUTCOME = {
  passed: "Every check of this step holds.",
  failed: "Not yet: each check that failed says why below, with a hint after a failure.",
};

/** One step: its instructions, its Check button, what its checks found with the hints they unlocked, and its solution. */
export function StepCard({
  sessionId,
  step,
  index,
  runs,
  canCheck,
  onType,
}: {
  sessionId: string;
  step: Step;
  index: number;
  runs: ReadonlyMap<string, RunView>;
  canCheck: boolean;
  /** Types a command into a terminal; absent for someone who may not type (a viewer): commands are only shown. */
  onType?: TypeCommand;
}) {
  const trpc = useTRPC();
  const check = useMutation(trpc.grading.check.mutationOptions());
  const run = useCheckRun(runs, () => check.mutateAsync({ sessionId, stepId: step.id }));
  return (
    <section className="step" data-testid={`step-${step.id}`} data-passed={step.passed} aria-labelledby={`step-title-${step.id}`}>
      <h3 id={`step-title-${step.id}`}>
        {index + 1}. {step.title} {step.passed && <span className="badge connected">passed</span>}{" "}
        {step.revealed && <span className="badge">solution revealed</span>}
      </h3>
      <Instructions text={step.instructions} onType={onType} />
      {canCheck && (
        <p className="check-row">
          {/* aria-disabled, not disabled: a disabled button drops the keyboard focus while the check runs. */}
          <button aria-disabled={run.busy} aria-describedby={`check-status-${step.id}`} onClick={run.press}>
            {run.busy ? "Checking…" : "Check"}
          </button>{" "}
          <span id={`check-status-${step.id}`}>
            <RunStatusLine
              state={run.state}
              waitingText="Checking this step…"
              outcomeText={STEP_OUTCOME}
              testId={`check-run-${step.id}`}
            />
          </span>
        </p>
      )}
      <ul className="checks">
        {step.checks.map((c) => (
          <li key={c.id} data-testid={`check-${c.id}`} data-passed={c.result?.passed ?? "unknown"}>
            {c.result ? (c.result.passed ? "✓" : "✗") : "•"} {c.result?.message ?? c.description} ({c.points} pt)
            {!c.result?.passed && c.hints.length > 0 && (
              // The server sends only the hints the check's failures unlocked: one after the first, two after the second.
              <ol className="hints" aria-label={`Hints for: ${c.description}`} data-testid={`hints-${c.id}`}>
                {c.hints.map((hint, i) => (
                  <li key={i}>
                    <strong>Hint {i + 1}:</strong> <InlineText content={parseInline(hint)} />
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
      <StepSolution
        sessionId={sessionId}
        stepId={step.id}
        stepTitle={step.title}
        solution={step.solution}
        canReveal={canCheck}
        onType={onType}
      />
    </section>
  );
}
