"use client";

import { useMutation } from "@tanstack/react-query";
import type { RunView } from "~/protocol/checkRun";
import { useTRPC } from "~/trpc/react";
import { Instructions } from "../Instructions";
import type { TypeCommand } from "./CommandBlock";
import type { LiveProgress } from "../session/useSessionLive";
import { RunStatusLine } from "./RunStatusLine";
import { useCheckRun } from "./useCheckRun";

type Step = LiveProgress["steps"][number];

/** One step: its instructions, its Check button and what its checks found. */
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
  onType: TypeCommand;
}) {
  const trpc = useTRPC();
  const check = useMutation(trpc.grading.check.mutationOptions());
  const run = useCheckRun(runs, () => check.mutateAsync({ sessionId, stepId: step.id }));
  return (
    <section className="step" data-testid={`step-${step.id}`} data-passed={step.passed} aria-labelledby={`step-title-${step.id}`}>
      <h3 id={`step-title-${step.id}`}>
        {index + 1}. {step.title} {step.passed && <span className="badge connected">passed</span>}
      </h3>
      <Instructions text={step.instructions} onType={onType} />
      {canCheck && (
        <p className="check-row">
          <button disabled={run.busy} aria-describedby={`check-status-${step.id}`} onClick={run.press}>
            {run.busy ? "Checking…" : "Check"}
          </button>{" "}
          <span id={`check-status-${step.id}`}>
            <RunStatusLine state={run.state} waitingText="Checking this step…" testId={`check-run-${step.id}`} />
          </span>
        </p>
      )}
      <ul className="checks">
        {step.checks.map((c) => (
          <li key={c.id} data-testid={`check-${c.id}`} data-passed={c.result?.passed ?? "unknown"}>
            {c.result ? (c.result.passed ? "✓" : "✗") : "•"} {c.result?.message ?? c.description} ({c.points} pt)
            {c.result && !c.result.passed && c.hints.length > 0 && <div className="tagline">Hint: {c.hints.join(" ")}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
