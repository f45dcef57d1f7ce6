// Reconcile the database with this worker's engine, both ways. Runs at start and periodically.
//  engine → database: objects of sessions that are stopped, failed or unknown are removed, and
//  objects of live sessions now held by a worker on another engine (placed elsewhere while this
//  worker was away) too, so a killed worker that returns leaves no orphan on either engine;
//  database → engine: this worker's sessions left mid-way by a previous run are finished, and
//  running sessions whose containers vanished are marked failed.
// It never acts on a session whose job is under way: one this process is provisioning, or one
// with a provision or teardown job queued or running in pg-boss. At start (before this process
// takes jobs) a running job of this WORKER_ID's sessions is the previous run's, died with it, and
// the session is resumed.
import type { Boss } from "~/core/jobs/boss";
import { queueName } from "~/core/workers/queues";
import { LabObjectMissingError } from "~/core/provisioner/port";
import { ON_A_WORKER, SETTLED, isIn, Status } from "~/protocol/sessionStatus";
import { isProvisioningHere, provisionOnce, type ProvisionDeps } from "./provisionSession";

export type ReconcileReport = {
  removedOrphans: string[];
  /** Live sessions held by a worker on another engine: their objects here were removed. */
  removedMoved: string[];
  resumed: string[];
  stopped: string[];
  lost: string[];
  skipped: string[];
  /** Running sessions whose endpoint this process serves (again, after a restart). */
  served: string[];
};

/**
 * boss: to see whether a job is doing a session's work; without it only this process's provisions count.
 * placedElsewhere: of these live sessions, those held by another worker whose engine is not this one
 * (src/core/workers/placedElsewhere.ts); without it none are.
 */
export type ReconcileDeps = ProvisionDeps & {
  boss?: Pick<Boss, "findJobs">;
  placedElsewhere?: (sessionIds: string[]) => Promise<string[]>;
};

const IN_FLIGHT = new Set(["created", "retry", "active"]);

/** The states of the session's jobs on a queue that are not finished (created, retry, active). */
async function jobStates(boss: Pick<Boss, "findJobs">, queue: string, sessionId: string): Promise<string[]> {
  const found = await boss.findJobs(queue, { data: { sessionId } });
  return found.map((job) => job.state).filter((state) => IN_FLIGHT.has(state));
}

export async function reconcile(deps: ReconcileDeps, options: { atStart?: boolean } = {}): Promise<ReconcileReport> {
  const { sessions, provisioner, workerId, boss } = deps;
  const report: ReconcileReport = {
    removedOrphans: [],
    removedMoved: [],
    resumed: [],
    stopped: [],
    lost: [],
    skipped: [],
    served: [],
  };

  /**
   * Whether a job is doing (or will do) this session's work: then reconcile leaves it alone. Its jobs
   * are on this worker's own queue, or on the shared one from before it was placed.
   */
  const busy = async (sessionId: string, key: "provisionSession" | "teardownSession") => {
    if (isProvisioningHere(sessionId)) return true;
    if (!boss) return false;
    const states = (
      await Promise.all([queueName(key, null), queueName(key, workerId)].map((queue) => jobStates(boss, queue, sessionId)))
    ).flat();
    // At start this process runs no job yet: an active one is the dead previous run's.
    return states.some((state) => state !== "active" || !options.atStart);
  };

  const onEngine = await provisioner.listSessionsWithObjects();
  const rows = await sessions.statuses(onEngine);
  const live = new Set(rows.filter((r) => !isIn(r.status, SETTLED)).map((r) => r.id));
  for (const sessionId of onEngine) {
    if (live.has(sessionId) || isProvisioningHere(sessionId)) continue;
    await provisioner.teardown(sessionId);
    report.removedOrphans.push(sessionId);
  }
  // Live, but another engine's now: this engine's copy is an orphan (same engine: several workers share it, leave it).
  const elsewhere = live.size && deps.placedElsewhere ? await deps.placedElsewhere([...live]) : [];
  for (const sessionId of elsewhere) {
    if (isProvisioningHere(sessionId)) continue;
    await provisioner.teardown(sessionId);
    report.removedMoved.push(sessionId);
  }

  const mine = await sessions.onWorker(workerId, ON_A_WORKER);
  for (const { id, status } of mine) {
    if (status === Status.provisioning) {
      if (await busy(id, "provisionSession")) {
        report.skipped.push(id);
        continue;
      }
      await provisionOnce(deps, id, { number: 1, of: 1, final: true });
      report.resumed.push(id);
    } else if (status === Status.stopping) {
      if (await busy(id, "teardownSession")) {
        report.skipped.push(id);
        continue;
      }
      await provisioner.teardown(id);
      await sessions.stopped(id);
      report.stopped.push(id);
    } else if ((await provisioner.listSessionObjects(id)).containers.length === 0) {
      await sessions.lose(id, "the lab's containers are gone from its host (was the engine restarted?); start the lab again");
      report.lost.push(id);
    } else {
      // A running session: this process serves what it needs (its Docker API endpoint) again.
      try {
        await provisioner.resume(id);
        report.served.push(id);
      } catch (error) {
        if (!(error instanceof LabObjectMissingError)) throw error;
        await sessions.lose(id, "the session's host is gone from its engine (was it removed?); start the lab again");
        report.lost.push(id);
      }
    }
  }
  return report;
}
