// Subscribe each task to its pg-boss queue. A payload that fails validation is not retried.
import { ZodError } from "zod";
import type { Boss } from "~/core/jobs/boss";
import { jobs } from "~/core/jobs/definitions";
import type { Task } from "../tasks/types";

export async function registerTasks(boss: Boss, tasks: Task[], options: { concurrency: number }): Promise<void> {
  for (const task of tasks) {
    const name = jobs[task.job].name;
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
        try {
          await task.run({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
        } catch (error) {
          if (error instanceof ZodError) {
            console.error(`[worker] ${name} job ${job.id} has an invalid payload; dropping it:`, error.issues);
            return;
          }
          console.error(`[worker] ${name} job ${job.id} attempt ${job.retryCount + 1} failed:`, (error as Error).message);
          throw error;
        }
      },
    );
  }
}
