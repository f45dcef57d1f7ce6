// The class's instructor ends a learner's session: the same teardown as the learner's Stop
// (requestTeardown), with endReason instructor ("Your instructor ended this session.").
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { requestTeardown } from "~/core/sessions/requestTeardown";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { EndReason } from "~/protocol/sessionEnd";
import { getTaughtSession } from "./classSession";

export const END_REASON_LINE = "Your instructor ended this session: removing the lab's containers and networks";

export async function endSession(options: { db: Db; boss: Boss; userId: string; sessionId: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access } = await getTaughtSession(db, options.userId, options.sessionId);
  const row = await requestTeardown(db, options.boss, session.id, END_REASON_LINE, EndReason.instructor);
  return sessionViewOf(db, row ?? session, access);
}
