// Scheduled (pg-boss, every minute, one worker of the installation runs it): stop expired sessions,
// and end in error the check runs whose job died without its task ending them (so a page that is
// waiting hears it now, not at its next reconnect).
import { logger } from "~/core/log";
import type { SessionStore } from "~/core/sessions/sessionStore";
import type { Task } from "./types";

export function reapSessionsTask(deps: {
  sessions: SessionStore;
  failStaleRuns?: () => Promise<number>;
  now?: () => Date;
}): Task {
  return {
    job: "reapSessions",
    async run() {
      const stopped = await deps.sessions.expire(deps.now?.() ?? new Date());
      if (stopped.length) logger.info({ sessionIds: stopped }, `expired ${stopped.length} session(s)`);
      const ended = (await deps.failStaleRuns?.()) ?? 0;
      if (ended) logger.info(`ended ${ended} check run(s) whose job died without an outcome`);
    },
  };
}
