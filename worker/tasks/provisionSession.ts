// Provision a session's containers: mark it PROVISIONING, create (or adopt) its objects, mark it
// READY. Retried by the queue a bounded number of times; the last failure marks it FAILED.
import type { Db } from "~/server/db";
import { markFailed, markProvisioning, markReady } from "~/server/services/sessions/transitions";
import { jobs } from "~/shared/jobs";
import { findLab } from "~/shared/labs";
import type { Provisioner } from "../provisioner/port";
import { isFinalAttempt, type Task } from "./types";

export function provisionSessionTask(deps: { db: Db; provisioner: Provisioner }): Task {
  const { db, provisioner } = deps;
  return {
    job: "provisionSession",
    async run(job) {
      const { sessionId } = jobs.provisionSession.payload.parse(job.data);
      const session = await db.labSession.findUnique({ where: { id: sessionId } });
      if (!session || (session.status !== "QUEUED" && session.status !== "PROVISIONING")) return;
      const lab = findLab(session.labSlug);
      if (!lab) {
        await markFailed(db, sessionId, `the lab "${session.labSlug}" is no longer offered`);
        return;
      }
      const attempt = job.retryCount + 1;
      const attempts = job.retryLimit + 1;
      await markProvisioning(db, sessionId, attempt > 1 ? `Starting containers (attempt ${attempt} of ${attempts})` : "Starting containers");
      try {
        await provisioner.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!isFinalAttempt(job)) {
          await markProvisioning(db, sessionId, `Attempt ${attempt} of ${attempts} failed (${reason}); retrying`);
          throw error;
        }
        await markFailed(db, sessionId, reason);
        // Leave nothing half-created behind; if the engine is gone, the reaper cleans up later.
        await provisioner.teardown(sessionId).catch(() => {});
        return;
      }
      if ((await markReady(db, sessionId)) === "skipped") {
        // Stopped while we were provisioning: the teardown may have run before we created anything.
        await provisioner.teardown(sessionId);
      }
    },
  };
}
