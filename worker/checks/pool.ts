// A pool of check threads (CHECK_THREADS): each request goes to the thread with the fewest under
// way; a thread starts with the pool when the worker is built, otherwise at its first request. A thread that dies fails only the requests it held
// (the check run ends in error, a submit is retried by the queue), never the worker; the next
// request starts a new one.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { channel } from "node:diagnostics_channel";
import { CheckCouldNotRunError } from "~/core/grading/couldNotRun";
import type { CheckOutcome } from "~/core/grading/outcomes";
import { CHECK_PATTERN_CHANNEL } from "~/core/grading/runChecks";
import { logger } from "~/core/log";
import type { CheckRequest, ThreadData, ThreadError, ThreadMessage } from "./protocol";
import type { CheckJob, CheckRunner } from "./runner";

/** thread.ts through tsx when this module runs as TypeScript; the bundle's own entry beside it otherwise. */
function threadEntry(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("./tsxThread.mjs", here) : new URL("./checkThread.js", here);
}

type Pending = {
  thread: Worker;
  timer: NodeJS.Timeout;
  resolve: (outcomes: CheckOutcome[]) => void;
  reject: (error: Error) => void;
};
type Slot = { thread?: Worker; pending: Map<number, Pending> };

/**
 * How long a request may take on its thread: below the check and submit jobs' expiry (120 s,
 * src/core/jobs/definitions.ts), so that a stuck thread is ended and its requests fail as "could
 * not run" (retryable) before the queue gives up on the job.
 */
export const CHECK_DEADLINE_MS = 90_000;

const stopping = () => new CheckCouldNotRunError("the lab host is stopping", true);

function revive(error: ThreadError): Error {
  return error.couldNotRun ? new CheckCouldNotRunError(error.message, error.retryable) : new Error(error.message);
}

export type CheckPoolOptions = {
  size: number;
  data: ThreadData;
  batch: boolean;
  workerId?: string;
  /** The thread's module (tests): thread.ts by default. */
  entry?: URL;
  /** A request's deadline (tests): CHECK_DEADLINE_MS by default. */
  deadlineMs?: number;
};

export function createCheckPool(options: CheckPoolOptions): CheckRunner {
  const log = logger.child({ component: "check-threads", workerId: options.workerId });
  const patterns = channel(CHECK_PATTERN_CHANNEL);
  const slots: Slot[] = Array.from({ length: Math.max(1, options.size) }, () => ({ pending: new Map() }));
  let nextId = 1;
  let closed = false;

  const deadlineMs = options.deadlineMs ?? CHECK_DEADLINE_MS;

  /** Fails the slot's requests held by `thread` (every one when not given). */
  const failAll = (slot: Slot, error: Error, thread?: Worker) => {
    for (const [id, pending] of slot.pending) {
      if (thread && pending.thread !== thread) continue;
      slot.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  };

  function start(slot: Slot): Worker {
    const thread = new Worker(options.entry ?? threadEntry(), { workerData: options.data });
    thread.unref(); // a thread never keeps the process alive; stop() closes the pool
    thread.on("message", (message: ThreadMessage) => {
      if (message.kind === "pattern") {
        if (patterns.hasSubscribers) patterns.publish(message.event);
        return;
      }
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.kind === "done") pending.resolve(message.outcomes);
      else pending.reject(revive(message.error));
    });
    thread.on("error", (error) => {
      log.error({ err: error }, `a check thread failed: ${error.message}`);
      failAll(slot, new Error(`the check thread failed: ${error.message}`), thread);
    });
    thread.on("exit", (code) => {
      if (slot.thread === thread) slot.thread = undefined;
      if (!closed && slot.pending.size) log.error({ code }, `a check thread stopped (exit code ${code}) with checks under way`);
      failAll(slot, closed ? stopping() : new Error(`the check thread stopped (exit code ${code})`), thread);
    });
    slot.thread = thread;
    return thread;
  }

  // Built (the bundle), a thread starts in a few tens of milliseconds: ready before the first Check.
  // As TypeScript (tests, development), each would compile its modules first: started when needed.
  if (!options.entry && !import.meta.url.endsWith(".ts")) {
    // A bundle without its thread entry would fail every Check: the worker does not start instead.
    const entry = fileURLToPath(threadEntry());
    if (!existsSync(entry)) throw new Error(`the check thread's entry ${entry} is missing: run npm run build:worker`);
    for (const slot of slots) start(slot);
  }

  return {
    run(job: CheckJob) {
      if (closed) return Promise.reject(stopping());
      const slot = slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
      const thread = slot.thread ?? start(slot);
      const id = nextId++;
      const request: CheckRequest = { id, ...job, batch: options.batch };
      return new Promise<CheckOutcome[]>((resolve, reject) => {
        // A thread stuck past the deadline is ended, failing every request it held; the next starts another.
        const timer = setTimeout(() => {
          log.error({ sessionId: job.sessionId }, `a check thread did not answer within ${deadlineMs} ms: ending it`);
          if (slot.thread === thread) slot.thread = undefined;
          failAll(slot, new CheckCouldNotRunError(`the checks did not finish within ${deadlineMs} ms`, true), thread);
          void thread.terminate();
        }, deadlineMs);
        timer.unref();
        slot.pending.set(id, { thread, timer, resolve, reject });
        try {
          thread.postMessage(request);
        } catch (error) {
          slot.pending.delete(id);
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    async close() {
      closed = true;
      for (const slot of slots) failAll(slot, stopping());
      await Promise.all(slots.map((slot) => slot.thread?.terminate()));
    },
  };
}
