"use client";

// One button's request: press → the run id the server returns → that run's outcome, pushed on the
// session's channel. No clock comparison: the page waits for exactly the run it asked for (or the
// one its press joined), and a run that could not run ends the wait too, with its reason.
import { useState } from "react";
import { isFinished, type RunView } from "~/protocol/checkRun";

export type CheckRunState =
  | { phase: "idle" }
  /** The request is on its way to the server. */
  | { phase: "sending" }
  /** The server accepted it; the run is queued or running. */
  | { phase: "waiting"; runId: string; run: RunView | undefined }
  | { phase: "finished"; run: RunView }
  /** The server refused the request (e.g. submitted too soon); nothing runs. */
  | { phase: "refused"; message: string };

export function useCheckRun(runs: ReadonlyMap<string, RunView>, request: () => Promise<{ runId: string }>) {
  const [sent, setSent] = useState<
    { phase: "idle" | "sending" } | { phase: "accepted"; runId: string } | { phase: "refused"; message: string }
  >({
    phase: "idle",
  });
  let state: CheckRunState;
  if (sent.phase === "accepted") {
    const run = runs.get(sent.runId);
    state = run && isFinished(run.status) ? { phase: "finished", run } : { phase: "waiting", runId: sent.runId, run };
  } else state = sent;

  const busy = state.phase === "sending" || state.phase === "waiting";
  const press = () => {
    if (busy) return;
    setSent({ phase: "sending" });
    request().then(
      ({ runId }) => setSent({ phase: "accepted", runId }),
      (error: Error) => setSent({ phase: "refused", message: error.message }),
    );
  };
  return { state, busy, press };
}
