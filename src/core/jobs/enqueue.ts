// Enqueue a typed job, optionally inside a Prisma transaction so the job exists exactly when
// the rows written beside it do (no job for a rolled-back session, no session without its job).
// A session's jobs go to its worker's own queue (workerId), or the shared one while it has none.
import { fromPrisma, type PrismaTransactionLike } from "pg-boss";
import { jobs, type JobKey, type JobPayload } from "~/core/jobs/definitions";
import { ensureWorkerQueue, queueName } from "~/core/workers/queues";
import type { Boss } from "./boss";

/** workerId: the session's worker (its own queue); null or absent: the shared queue. */
type SendOptions = { tx?: PrismaTransactionLike; workerId?: string | null };

/** Sends a job; its singletonKey comes from the job's definition (jobs.ts) when it has one. */
async function send<K extends JobKey>(boss: Boss, key: K, payload: JobPayload<K>, options: SendOptions): Promise<string | null> {
  const job = jobs[key];
  const data = job.payload.parse(payload);
  const singletonKey = "singletonKey" in job ? job.singletonKey(data as never) : undefined;
  if (options.workerId) await ensureWorkerQueue(boss, key, options.workerId);
  return boss.send(queueName(key, options.workerId ?? null), data, {
    ...(options.tx ? { db: fromPrisma(options.tx) } : {}),
    ...(singletonKey ? { singletonKey } : {}),
  });
}

/** Enqueues a job that must exist (provision, teardown); throws if the queue refused it. */
export async function enqueue<K extends JobKey>(
  boss: Boss,
  key: K,
  payload: JobPayload<K>,
  options: SendOptions = {},
): Promise<string> {
  const id = await send(boss, key, payload, options);
  if (!id)
    throw new Error(
      `job ${queueName(key, options.workerId ?? null)} was not enqueued (a job with the same key is already queued)`,
    );
  return id;
}

/**
 * Enqueues a job on a queue with a singleton policy (stately, exclusive; its key in jobs.ts).
 * Returns null when the policy refused it because a job with that key is already queued or running:
 * the caller decides whether that is a coalesced press or a refusal.
 */
export function enqueueUnlessInFlight<K extends JobKey>(
  boss: Boss,
  key: K,
  payload: JobPayload<K>,
  options: SendOptions = {},
): Promise<string | null> {
  return send(boss, key, payload, options);
}
