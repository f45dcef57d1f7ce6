// Scheduled (pg-boss, every minute, one worker of the installation runs it): stop expired sessions.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { expireSessions } from "~/core/sessions/expireSessions";
import type { Task } from "./types";

export function reapSessionsTask(deps: { db: Db; boss: Boss }): Task {
  return {
    job: "reapSessions",
    async run() {
      const stopped = await expireSessions(deps);
      if (stopped.length) console.log(`[worker] expired ${stopped.length} session(s)`);
    },
  };
}
