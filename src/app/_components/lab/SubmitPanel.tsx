"use client";

import { useMutation } from "@tanstack/react-query";
import type { RunView } from "~/protocol/checkRun";
import { useTRPC } from "~/trpc/react";
import type { LiveProgress } from "../session/useSessionLive";
import { RunStatusLine } from "./RunStatusLine";
import { useCheckRun } from "./useCheckRun";

const SUBMIT_OUTCOME = { passed: "Graded: full marks.", failed: "Graded: see your score below." };

/** Submit (the owner), the latest score, and the steps whose solution was revealed before it. */
export function SubmitPanel({
  sessionId,
  steps,
  submissions,
  runs,
  canSubmit,
}: {
  sessionId: string;
  /** The lab's steps, to name the revealed ones. */
  steps: readonly { id: string; title: string }[];
  submissions: LiveProgress["submissions"];
  runs: ReadonlyMap<string, RunView>;
  canSubmit: boolean;
}) {
  const trpc = useTRPC();
  const submit = useMutation(trpc.grading.submit.mutationOptions());
  const run = useCheckRun(runs, () => submit.mutateAsync({ sessionId }));
  const latest = submissions.at(-1);
  return (
    <section className="submit">
      {canSubmit && (
        <p>
          {/* aria-disabled, not disabled: the keyboard focus stays on the button while grading runs. */}
          <button aria-disabled={run.busy} aria-describedby="submit-status" onClick={run.press}>
            {run.busy ? "Grading…" : "Submit"}
          </button>{" "}
          <span id="submit-status">
            <RunStatusLine
              state={run.state}
              waitingText="Grading the whole lab…"
              outcomeText={SUBMIT_OUTCOME}
              testId="submit-run"
            />
          </span>
        </p>
      )}
      {latest && (
        <p data-testid="score">
          Submitted (attempt {latest.attempt}):{" "}
          <strong>
            {latest.score} / {latest.maxScore}
          </strong>{" "}
          points
        </p>
      )}
      {latest && latest.revealedSteps.length > 0 && (
        <p data-testid="revealed-steps">
          Solutions revealed before this submission:{" "}
          {latest.revealedSteps.map((id) => steps.find((step) => step.id === id)?.title ?? id).join(", ")}
        </p>
      )}
    </section>
  );
}
