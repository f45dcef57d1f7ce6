// Enqueue a typed job, optionally inside a Prisma transaction so the job exists exactly when
// the rows written beside it do (no job for a rolled-back session, no session without its job).
import { fromPrisma, type PrismaTransactionLike } from "pg-boss";
import { jobs, type JobKey, type JobPayload } from "~/shared/jobs";
import type { Boss } from "./boss";

export async function enqueue<K extends JobKey>(
  boss: Boss,
  key: K,
  payload: JobPayload<K>,
  options: { tx?: PrismaTransactionLike; singletonKey?: string } = {},
): Promise<string> {
  const job = jobs[key];
  const data = job.payload.parse(payload);
  const id = await boss.send(job.name, data, {
    ...(options.tx ? { db: fromPrisma(options.tx) } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  });
  if (!id) throw new Error(`job ${job.name} was not enqueued (a job with the same key is already queued)`);
  return id;
}
