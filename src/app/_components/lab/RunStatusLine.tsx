"use client";

import { RunStatus } from "~/protocol/checkRun";
import type { CheckRunState } from "./useCheckRun";

/**
 * Where a pressed button's run is, read out politely by screen readers: waiting, could not run
 * (with the reason), or refused. Passed and failed show in the results themselves.
 */
export function RunStatusLine({ state, waitingText, testId }: { state: CheckRunState; waitingText: string; testId: string }) {
  let text = "";
  let error = false;
  if (state.phase === "sending" || state.phase === "waiting") text = waitingText;
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
