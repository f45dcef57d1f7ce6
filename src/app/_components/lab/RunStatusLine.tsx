"use client";

import { RunStatus } from "~/protocol/checkRun";
import type { CheckRunState } from "./useCheckRun";

/**
 * Where a pressed button's run is, read out politely by screen readers: waiting, its outcome in a
 * few words (the results themselves show the details), could not run (with the reason), or refused.
 */
export function RunStatusLine({
  state,
  waitingText,
  outcomeText,
  testId,
}: {
  state: CheckRunState;
  waitingText: string;
  /** What a run that passed or failed says. */
  outcomeText: { passed: string; failed: string };
  testId: string;
}) {
  let text = "";
  let error = false;
  if (state.phase === "sending" || state.phase === "waiting") text = waitingText;
  else if (state.phase === "finished" && state.run.status === RunStatus.passed) text = outcomeText.passed;
  else if (state.phase === "finished" && state.run.status === RunStatus.failed) text = outcomeText.failed;
  else if (state.phase === "refused") [text, error] = [state.message, true];
  else if (state.phase === "finished" && state.run.status === RunStatus.error)
    [text, error] = [`could not run: ${state.run.reason ?? "unknown reason"}`, true];
  return (
    <span role="status" aria-live="polite" data-testid={testId} data-phase={state.phase} className={error ? "error" : "tagline"}>
      {state.phase === "waiting" && <span className="spinner" aria-hidden />}
      {text}
    </span>
  );
}
