// pg-boss, the job queue in PostgreSQL. The web only sends; the worker also works.
import { PgBoss } from "pg-boss";
import { jobs } from "~/core/jobs/definitions";
import { logger } from "~/core/log";

const log = logger.child({ component: "queue" });

export type Boss = PgBoss;

export async function startBoss(connectionString: string, options: { worker: boolean }): Promise<Boss> {
  const boss = new PgBoss({
    connectionString,
    max: 5,
    // Only the worker runs maintenance, schedules and LISTEN for new jobs.
    supervise: options.worker,
    schedule: options.worker,
    useListenNotify: options.worker,
  });
  boss.on("error", (err) => log.error({ err }, `queue: ${err.message}`));
  await boss.start();
  for (const job of Object.values(jobs)) {
    await boss.createQueue(job.name, { ...job.queue, notify: true });
  }
  return boss;
}
