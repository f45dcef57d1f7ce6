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
  "sessionLinks",
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

/** The worker queues this process has made sure exist (createQueue is idempotent; once per process is enough). */
const ensured = new WeakMap<Boss, Set<string>>();

/**
 * Makes sure a worker's own queue exists before a job is sent to it: pg-boss refuses a send to a
 * queue that does not exist, and a web can enqueue for a session whose worker has not made its
 * queues (a web upgraded before its workers, a worker that never ran this version).
 */
export async function ensureWorkerQueue(boss: Boss, key: JobKey, workerId: string): Promise<void> {
  const name = queueName(key, workerId);
  let made = ensured.get(boss);
  if (!made) ensured.set(boss, (made = new Set()));
  if (made.has(name)) return;
  await boss.createQueue(name, { ...jobs[key].queue, notify: true });
  made.add(name);
}
