// A check thread (worker_threads): runs steps' checks with its own Docker client, so that a class
// pressing Check at once (execs, their streams, RE2 over the output) keeps off the event loop that
// serves the terminals. The main thread keeps the database; results are posted back. Started by
// pool.ts: through tsxThread.mjs under tsx, as dist/worker/checkThread.js in the bundle.
import { subscribe } from "node:diagnostics_channel";
import { parentPort, workerData } from "node:worker_threads";
import { CheckCouldNotRunError } from "~/core/grading/couldNotRun";
import { CHECK_PATTERN_CHANNEL, type CheckPatternEvent, runChecks } from "~/core/grading/runChecks";
import { dockerProvisionerFromConfig } from "../provisioner/docker/fromConfig";
import type { CheckRequest, ThreadData, ThreadMessage } from "./protocol";

const port = parentPort;
if (!port) throw new Error("worker/checks/thread.ts runs as a worker thread (started by worker/checks/pool.ts)");
const { config, installationId } = workerData as ThreadData;
const engine = dockerProvisionerFromConfig(config, installationId);
const post = (message: ThreadMessage) => port.postMessage(message);

subscribe(CHECK_PATTERN_CHANNEL, (event) => post({ kind: "pattern", event: event as CheckPatternEvent }));

port.on("message", (request: CheckRequest) => {
  runChecks(engine, request.sessionId, request.lab, request.params, request.stepId, {
    batch: request.batch,
    captures: request.captures,
  }).then(
    (outcomes) => post({ kind: "done", id: request.id, outcomes }),
    (error: unknown) =>
      post({
        kind: "failed",
        id: request.id,
        error: {
          couldNotRun: error instanceof CheckCouldNotRunError,
          retryable: error instanceof CheckCouldNotRunError && error.retryable,
          message: error instanceof Error ? error.message : String(error),
        },
      }),
  );
});
