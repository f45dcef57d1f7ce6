import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { EndReason } from "~/protocol/sessionEnd";
import { getOwnSession } from "./getOwnSession";
import { requestTeardown } from "./requestTeardown";
import { sessionViewOf, type SessionView } from "./sessionView";

/** The learner stops their session. Stopping twice is a no-op. */
export async function stopSession(options: { db: Db; boss: Boss; userId: string; sessionId: string }): Promise<SessionView> {
  const current = await getOwnSession(options);
  const row = await requestTeardown(
    options.db,
    options.boss,
    current.id,
    "Removing the lab's containers and networks",
    EndReason.owner,
  );
  return sessionViewOf(options.db, row ?? current);
}
