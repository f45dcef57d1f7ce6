// Scheduled (pg-boss, every minute, one worker of the installation runs it): stop expired sessions.
import type { SessionStore } from "~/core/sessions/sessionStore";
import type { Task } from "./types";

export function reapSessionsTask(deps: { sessions: SessionStore; now?: () => Date }): Task {
  return {
    job: "reapSessions",
    async run() {
      const stopped = await deps.sessions.expire(deps.now?.() ?? new Date());
      if (stopped.length) console.log(`[worker] expired ${stopped.length} session(s)`);
    },
  };
}
