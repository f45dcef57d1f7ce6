// Provision a session's containers: mark it PROVISIONING (on this worker), create (or adopt) its
// objects, mark it READY. Retried by the queue a bounded number of times; the last failure marks
// it FAILED. Reconciliation calls provisionOnce directly for sessions a dead worker left behind.
import type { Db } from "~/core/db";
import { markFailed, markProvisioning, markReady } from "~/core/sessions/transitions";
import { jobs } from "~/core/jobs/definitions";
import { findLab } from "~/core/labs/catalog";
import { SpecError, type Provisioner } from "~/core/provisioner/port";
import { isFinalAttempt, type Task } from "./types";

export type ProvisionDeps = { db: Db; provisioner: Provisioner; workerId: string };

/** Sessions this process is provisioning right now (reconcile leaves them alone). */
const inProgress = new Map<string, number>();

export function isProvisioningHere(sessionId: string): boolean {
  return inProgress.has(sessionId);
}

export async function provisionOnce(
  deps: ProvisionDeps,
  sessionId: string,
  attempt: { number: number; of: number; final: boolean },
): Promise<void> {
  inProgress.set(sessionId, (inProgress.get(sessionId) ?? 0) + 1);
  try {
    await provision(deps, sessionId, attempt);
  } finally {
    const left = (inProgress.get(sessionId) ?? 1) - 1;
    if (left > 0) inProgress.set(sessionId, left);
    else inProgress.delete(sessionId);
  }
}

async function provision(deps: ProvisionDeps, sessionId: string, attempt: { number: number; of: number; final: boolean }): Promise<void> {
  const { db, provisioner } = deps;
  const session = await db.labSession.findUnique({ where: { id: sessionId } });
  if (!session || (session.status !== "QUEUED" && session.status !== "PROVISIONING")) return;
  const lab = findLab(session.labSlug);
  if (!lab) {
    await markFailed(db, sessionId, `the lab "${session.labSlug}" is no longer offered`);
    return;
  }
  const label = attempt.number > 1 ? `Starting containers (attempt ${attempt.number} of ${attempt.of})` : "Starting containers";
  await markProvisioning(db, sessionId, deps.workerId, label);
  try {
    await provisioner.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (!attempt.final && !(error instanceof SpecError)) {
      await markProvisioning(db, sessionId, deps.workerId, `Attempt ${attempt.number} of ${attempt.of} failed (${reason}); retrying`);
      throw error;
    }
    // Leave nothing half-created behind, but only if this attempt decided the session's fate: when
    // the session is already READY (or stopped), what is there belongs to whoever did that.
    if ((await markFailed(db, sessionId, reason)) === "applied") {
      // If the engine is gone, reconciliation cleans up later.
      await provisioner.teardown(sessionId).catch(() => {});
    }
    return;
  }
  const engineView = { networks: await provisioner.networkView(sessionId), drivers: await provisioner.networkDrivers() };
  if ((await markReady(db, sessionId, engineView)) === "skipped") {
    // Stopped (or failed) while we were provisioning: the teardown may have run before we created
    // anything. A session another provision already made READY keeps its containers.
    const now = await db.labSession.findUnique({ where: { id: sessionId }, select: { status: true } });
    if (!now || now.status === "STOPPING" || now.status === "STOPPED" || now.status === "FAILED") {
      await provisioner.teardown(sessionId);
    }
  }
}

export function provisionSessionTask(deps: ProvisionDeps): Task {
  return {
    job: "provisionSession",
    async run(job) {
      const { sessionId } = jobs.provisionSession.payload.parse(job.data);
      await provisionOnce(deps, sessionId, { number: job.retryCount + 1, of: job.retryLimit + 1, final: isFinalAttempt(job) });
    },
  };
}
