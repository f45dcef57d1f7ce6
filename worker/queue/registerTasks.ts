// Subscribe each task to its pg-boss queues: the shared one (unplaced work, and the reaper) and, for a
// session's jobs, this worker's own (src/core/workers/queues.ts). A payload that fails validation is not retried.
import { ZodError } from "zod";
import type { Boss } from "~/core/jobs/boss";
import { logger } from "~/core/log";
import { queueName, WORKER_QUEUE_JOBS } from "~/core/workers/queues";
import type { Task } from "../tasks/types";

/** The queues a task is worked on: the shared one, and this worker's own when its job has one. */
export function queuesOf(task: Task, workerId: string): string[] {
  const own = (WORKER_QUEUE_JOBS as readonly string[]).includes(task.job);
  return own ? [queueName(task.job, null), queueName(task.job, workerId)] : [queueName(task.job, null)];
}

/** Works every task's queues; returns the names of the queues worked (offWork them to stop taking jobs). */
export async function registerTasks(
  boss: Boss,
  tasks: Task[],
  options: { concurrency: number; workerId: string },
): Promise<string[]> {
  const worked: string[] = [];
  for (const task of tasks) {
    for (const name of queuesOf(task, options.workerId)) {
      await boss.work(
        name,
        {
          includeMetadata: true,
          localConcurrency: task.concurrency ?? options.concurrency,
          pollingIntervalSeconds: 1,
          notifyPollingIntervalSeconds: 1,
        },
        async ([job]) => {
          if (!job) return;
          const log = logger.child({ workerId: options.workerId, jobId: job.id, queue: name });
          try {
            await task.run({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
          } catch (error) {
            if (error instanceof ZodError) {
              log.error({ issues: error.issues }, "the job has an invalid payload; dropping it");
              return;
            }
            log.error(
              { attempt: job.retryCount + 1, err: error },
              `attempt ${job.retryCount + 1} failed: ${(error as Error).message}`,
            );
            throw error;
          }
        },
      );
      worked.push(name);
    }
  }
  return worked;
}
