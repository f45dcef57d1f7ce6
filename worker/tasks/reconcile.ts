// Reconcile the database with this worker's engine, both ways. Runs at start and periodically.
//  engine → database: objects of sessions that are stopped, failed or unknown are removed;
//  database → engine: this worker's sessions left mid-way by a previous run are finished, and
//  running sessions whose containers vanished are marked failed.
import type { Db } from "~/server/db";
import { markLost, markStopped } from "~/server/services/sessions/transitions";
import { provisionOnce, type ProvisionDeps } from "./provisionSession";

export type ReconcileReport = { removedOrphans: string[]; resumed: string[]; stopped: string[]; lost: string[] };

export async function reconcile(deps: ProvisionDeps & { db: Db }): Promise<ReconcileReport> {
  const { db, provisioner, workerId } = deps;
  const report: ReconcileReport = { removedOrphans: [], resumed: [], stopped: [], lost: [] };

  const onEngine = await provisioner.listSessionsWithObjects();
  const rows = await db.labSession.findMany({ where: { id: { in: onEngine } }, select: { id: true, status: true } });
  const live = new Set(rows.filter((r) => r.status !== "STOPPED" && r.status !== "FAILED").map((r) => r.id));
  for (const sessionId of onEngine) {
    if (live.has(sessionId)) continue;
    await provisioner.teardown(sessionId);
    report.removedOrphans.push(sessionId);
  }

  const mine = await db.labSession.findMany({
    where: { workerId, status: { in: ["PROVISIONING", "READY", "STOPPING"] } },
    select: { id: true, status: true },
  });
  for (const { id, status } of mine) {
    if (status === "PROVISIONING") {
      await provisionOnce(deps, id, { number: 1, of: 1, final: true });
      report.resumed.push(id);
    } else if (status === "STOPPING") {
      await provisioner.teardown(id);
      await markStopped(db, id);
      report.stopped.push(id);
    } else if ((await provisioner.listSessionObjects(id)).containers.length === 0) {
      await markLost(db, id, "the lab's containers are gone from its host (was the engine restarted?); start the lab again");
      report.lost.push(id);
    }
  }
  return report;
}
