// Provision a session's containers: claim it (PROVISIONING, on this worker), create (or adopt) its
// objects from the lab it started with, mark it READY. Retried by the queue a bounded number of
// times; the last failure marks it FAILED. Reconciliation calls provisionOnce directly for sessions
// a dead worker left behind.
import { jobs } from "~/core/jobs/definitions";
import { labOfSession } from "~/core/labs/sessionLab";
import { SpecError, type Provisioner } from "~/core/provisioner/port";
import type { SessionStore } from "~/core/sessions/sessionStore";
import { ENDING, hasFailed, isIn, STARTING } from "~/protocol/sessionStatus";
import { logger } from "~/core/log";
import { provisionSeconds, timed } from "~/core/metrics/definitions";
import { readEngineView } from "./refreshEngineView";
import { isFinalAttempt, type Task } from "./types";

export type ProvisionDeps = { sessions: SessionStore; provisioner: Provisioner; workerId: string };

export type Attempt = { number: number; of: number; final: boolean };

/** Sessions this process is provisioning right now (reconcile leaves them alone). */
const inProgress = new Map<string, number>();

export function isProvisioningHere(sessionId: string): boolean {
  return inProgress.has(sessionId);
}

export async function provisionOnce(
  deps: ProvisionDeps,
  sessionId: string,
  attempt: Attempt,
  expectedLabHash?: string,
): Promise<void> {
  inProgress.set(sessionId, (inProgress.get(sessionId) ?? 0) + 1);
  try {
    await provision(deps, sessionId, attempt, expectedLabHash);
  } finally {
    const left = (inProgress.get(sessionId) ?? 1) - 1;
    if (left > 0) inProgress.set(sessionId, left);
    else inProgress.delete(sessionId);
  }
}

async function provision(deps: ProvisionDeps, sessionId: string, attempt: Attempt, expectedLabHash?: string): Promise<void> {
  const { sessions, provisioner } = deps;
  const session = await sessions.find(sessionId);
  if (!session || !isIn(session.status, STARTING)) return;
  // Placed on another worker (at start, or again after this one went quiet): a stale job, its own is there.
  if (session.workerId !== null && session.workerId !== deps.workerId) {
    logger.info(
      { workerId: deps.workerId, sessionId, placedOn: session.workerId },
      "provision job for a session placed on another worker: nothing to do",
    );
    return;
  }
  if (expectedLabHash !== undefined && session.labHash !== expectedLabHash) {
    await sessions.fail(
      sessionId,
      `the session's stored lab (${session.labHash ?? "none"}) is not the one its start queued (${expectedLabHash})`,
      deps.workerId,
    );
    return;
  }
  let lab;
  try {
    lab = labOfSession(session);
  } catch (error) {
    await sessions.fail(sessionId, (error as Error).message, deps.workerId);
    return;
  }
  if (!lab) {
    await sessions.fail(sessionId, `the lab "${session.labSlug}" is no longer offered`, deps.workerId);
    return;
  }
  const label = attempt.number > 1 ? `Starting containers (attempt ${attempt.number} of ${attempt.of})` : "Starting containers";
  // Conditional on the session still being this worker's (or no one's) and starting: else nothing to do here.
  if ((await sessions.claim(sessionId, deps.workerId, label)) === "skipped") return;
  try {
    await provisioner.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (!attempt.final && !(error instanceof SpecError)) {
      await sessions.claim(sessionId, deps.workerId, `Attempt ${attempt.number} of ${attempt.of} failed (${reason}); retrying`);
      throw error;
    }
    // Leave nothing half-created behind, but only if this attempt decided the session's fate: when
    // the session is already READY (or stopped), what is there belongs to whoever did that.
    if ((await sessions.fail(sessionId, reason, deps.workerId)) === "applied") {
      // If the engine is gone, reconciliation cleans up later.
      await provisioner.teardown(sessionId).catch(() => {});
    }
    return;
  }
  const engineView = await readEngineView(provisioner, sessionId);
  if ((await sessions.ready(sessionId, engineView, deps.workerId)) === "skipped") {
    // Stopped (or failed) while we were provisioning: the teardown may have run before we created
    // anything. A session another provision already made READY keeps its containers. One placed on
    // another worker meanwhile (this one went quiet and was swept) is left alone: reconcile removes
    // what this engine holds of it only when that worker's engine is another (placedElsewhere.ts).
    const now = await sessions.find(sessionId);
    if (!now || isIn(now.status, ENDING) || hasFailed(now.status)) {
      await provisioner.teardown(sessionId);
    }
  }
}

export function provisionSessionTask(deps: ProvisionDeps): Task {
  return {
    job: "provisionSession",
    async run(job) {
      const { sessionId, labHash } = jobs.provisionSession.payload.parse(job.data);
      // Already provisioning here (a job on the shared queue and one on this worker's, or a retry while
      // the first attempt still runs): one provision per session in a process.
      if (isProvisioningHere(sessionId)) return;
      const attempt = { number: job.retryCount + 1, of: job.retryLimit + 1, final: isFinalAttempt(job) };
      await timed(provisionSeconds, {}, () => provisionOnce(deps, sessionId, attempt, labHash));
      logger
        .child({ component: "provision", workerId: deps.workerId, sessionId, jobId: job.id })
        .info({ attempt: attempt.number }, "provision job done");
    },
  };
}
