// Remove every object of a session and mark it STOPPED. Idempotent; retried by the queue.
import { jobs } from "~/core/jobs/definitions";
import { logger } from "~/core/log";
import { teardownSeconds, timed } from "~/core/metrics/definitions";
import type { Provisioner } from "~/core/provisioner/port";
import type { SessionStore } from "~/core/sessions/sessionStore";
import type { TerminalHub } from "../gateway/terminalHub";
import { isFinalAttempt, type Task } from "./types";

export type TeardownDeps = {
  sessions: SessionStore;
  provisioner: Provisioner;
  hub: Pick<TerminalHub, "closeSession">;
  workerId?: string;
  /** A place freed on this worker: the line of waiting sessions may move (src/core/queue/admitter.ts). */
  placeFreed?: () => void;
};

export function teardownSessionTask(deps: TeardownDeps): Task {
  const { sessions, provisioner } = deps;
  return {
    job: "teardownSession",
    async run(job) {
      const { sessionId } = jobs.teardownSession.payload.parse(job.data);
      await deps.hub.closeSession(sessionId, "the lab was stopped");
      try {
        await timed(teardownSeconds, {}, () => provisioner.teardown(sessionId));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await sessions.noteWhileStopping(
          sessionId,
          isFinalAttempt(job) ? `Could not remove the lab: ${reason}` : `Removing the lab (retrying: ${reason})`,
        );
        throw error;
      }
      await sessions.stopped(sessionId);
      deps.placeFreed?.();
      logger.child({ component: "teardown", workerId: deps.workerId, sessionId, jobId: job.id }).info("session torn down");
    },
  };
}
