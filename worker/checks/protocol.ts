// What the worker's main thread and a check thread say to each other (structured clone: plain data).
import type { CaptureSnapshot } from "~/core/grading/captureCheck";
import type { CheckOutcome } from "~/core/grading/outcomes";
import type { CheckPatternEvent } from "~/core/grading/runChecks";
import type { Lab } from "~/core/labs/schema";
import type { ProvisionerConfig } from "../config";

/** What a thread is started with: the engine to ask, and the installation its objects are labelled with. */
export type ThreadData = { config: ProvisionerConfig; installationId: string };

/** Run the checks of one step (or of the whole lab) of a session. */
export type CheckRequest = {
  id: number;
  sessionId: string;
  lab: Lab;
  params: { token: string };
  stepId?: string;
  batch: boolean;
  /** The packets its capture checks read (plain data: structured clone). */
  captures?: CaptureSnapshot;
};

/** An error as it crosses the thread: whether it is "could not run" (and retryable), and its message. */
export type ThreadError = { couldNotRun: boolean; retryable: boolean; message: string };

export type ThreadMessage =
  | { kind: "done"; id: number; outcomes: CheckOutcome[] }
  | { kind: "failed"; id: number; error: ThreadError }
  /** A pattern evaluation, published again on the main thread's channel (tests, diagnostics). */
  | { kind: "pattern"; event: CheckPatternEvent };
