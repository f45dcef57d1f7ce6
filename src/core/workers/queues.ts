// Which pg-boss queue a job goes to. Unplaced work (no worker registered yet) uses the shared queue,
// as before several lab hosts; a placed session's jobs go to its worker's own queue.
import type { Boss } from "~/core/jobs/boss";
import { jobs, type JobKey } from "~/core/jobs/definitions";

/** The jobs a worker has its own queue for: everything about a session it runs (the reaper stays shared). */
export const WORKER_QUEUE_JOBS = [
  "provisionSession",
  "teardownSession",
  "checkStep",
  "submitSession",
] as const satisfies readonly JobKey[];

/** `jobs[key].name` for the shared queue (workerId null), else `${name}/${workerId}`. */
export function queueName(key: JobKey, workerId: string | null): string {
  const name = jobs[key].name;
  return workerId === null ? name : `${name}/${workerId}`;
}

/** Creates the worker's own queues (idempotent), each with its job's queue options. */
export async function createWorkerQueues(boss: Boss, workerId: string): Promise<void> {
  for (const key of WORKER_QUEUE_JOBS) {
    await boss.createQueue(queueName(key, workerId), { ...jobs[key].queue, notify: true });
  }
}
