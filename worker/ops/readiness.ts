// The worker is ready when its database and its Docker engine answer and the registry does not mark it
// draining or stopped (SIGTERM: it takes no new work). A worker not registered yet is not draining.
import type { Db } from "~/core/db";
import { checkReadiness, databaseProbe, type Readiness } from "~/core/metrics/readiness";
import { oneAtATime } from "~/core/metrics/oneAtATime";
import type { Provisioner } from "~/core/provisioner/port";
import { workerById } from "~/core/workers/registry";

export function workerReadiness(deps: {
  db: Db;
  provisioner: Pick<Provisioner, "ping">;
  workerId: string;
}): () => Promise<Readiness> {
  // /readyz is open: requests that arrive while a check runs share it (one query and one engine ping at a time).
  return oneAtATime(() =>
    checkReadiness({
      database: databaseProbe(deps.db),
      engine: () => deps.provisioner.ping(),
      draining: async () => {
        const me = await workerById(deps.db, deps.workerId);
        if (me?.stoppedAt) return "the worker has stopped";
        if (me?.draining) return "the worker is draining (shutting down): it takes no new work";
      },
    }),
  );
}
