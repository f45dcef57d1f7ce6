// The worker's /metrics registry: this process's event metrics, plus at scrape time the sessions (by status and
// worker), every lab host's load from the registry, the queues' depths and this worker's open terminals.
import type { Registry } from "prom-client";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { logger } from "~/core/log";
import { processRegistry } from "~/core/metrics/definitions";
import { queueDepths, sessionCounts, workerLoads } from "~/core/metrics/sources";
import type { TerminalHub } from "../gateway/terminalHub";

const log = logger.child({ component: "metrics" });

export function workerMetricsRegistry(deps: {
  db: Db;
  boss: Pick<Boss, "getQueues">;
  hub: Pick<TerminalHub, "counts">;
}): Registry {
  return processRegistry({
    sessions: () => sessionCounts(deps.db),
    workers: () => workerLoads(deps.db),
    queues: () => queueDepths(deps.boss),
    terminals: () => deps.hub.counts(),
    onError: (source, err) => log.error({ err, source }, `metrics: could not read ${source}; left out of this scrape`),
  });
}
