import type { JobKey } from "~/core/jobs/definitions";

/** What a task sees of a pg-boss job: its payload (unvalidated) and which attempt this is. */
export type TaskJob = { id: string; data: unknown; retryCount: number; retryLimit: number };

export type Task = { job: JobKey; run: (job: TaskJob) => Promise<void>; /** jobs at once on this worker */ concurrency?: number };

export function isFinalAttempt(job: TaskJob): boolean {
  return job.retryCount >= job.retryLimit;
}
