// Who runs a step's checks for the check and submit tasks: a pool of threads (pool.ts, the worker),
// or this thread (CHECK_THREADS=0, and the tasks' unit tests with the fake provisioner).
import type { CheckEngine } from "~/core/grading/batchProbes";
import type { CaptureSnapshot } from "~/core/grading/captureCheck";
import type { CheckOutcome } from "~/core/grading/outcomes";
import { runChecks } from "~/core/grading/runChecks";
import type { Lab } from "~/core/labs/schema";

export type CheckJob = {
  sessionId: string;
  lab: Lab;
  params: { token: string };
  stepId?: string;
  /** The rolling captures the checks' capture checks read, snapshot on the main thread (worker/capture/checkCaptures.ts). */
  captures?: CaptureSnapshot;
};

export interface CheckRunner {
  /** Throws CheckCouldNotRunError (the engine could not answer), as runChecks does. */
  run(job: CheckJob): Promise<CheckOutcome[]>;
  close(): Promise<void>;
}

/** Checks on this thread's event loop. `batch: false` asks one exec per probe (CHECK_BATCH=off). */
export function inThreadRunner(engine: CheckEngine, options: { batch?: boolean } = {}): CheckRunner {
  return {
    run: ({ sessionId, lab, params, stepId, captures }) =>
      runChecks(engine, sessionId, lab, params, stepId, { batch: options.batch, captures }),
    close: async () => {},
  };
}
