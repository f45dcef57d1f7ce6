// Remove every object of a session and mark it STOPPED. Idempotent; retried by the queue.
import type { Db } from "~/core/db";
import { markStopped } from "~/core/sessions/transitions";
import { jobs } from "~/core/jobs/definitions";
import type { TerminalHub } from "../gateway/terminalHub";
import type { Provisioner } from "~/core/provisioner/port";
import { isFinalAttempt, type Task } from "./types";

export function teardownSessionTask(deps: { db: Db; provisioner: Provisioner; hub: TerminalHub }): Task {
  const { db, provisioner } = deps;
  return {
    job: "teardownSession",
    async run(job) {
      const { sessionId } = jobs.teardownSession.payload.parse(job.data);
      await deps.hub.closeSession(sessionId, "the lab was stopped");
      try {
        await provisioner.teardown(sessionId);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await db.labSession.updateMany({
          where: { id: sessionId, status: "STOPPING" },
          data: { statusReason: isFinalAttempt(job) ? `Could not remove the lab: ${reason}` : `Removing the lab (retrying: ${reason})` },
        });
        throw error;
      }
      await markStopped(db, sessionId);
    },
  };
}
