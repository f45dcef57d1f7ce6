import type { Db } from "~/server/db";
import type { Boss } from "~/server/queue/boss";
import { enqueue } from "~/server/queue/enqueue";
import { getOwnSession } from "./getOwnSession";
import { toSessionView, type SessionView } from "./sessionView";

/** Marks the session STOPPING and enqueues its teardown in one transaction. Stopping twice is a no-op. */
export async function stopSession(options: { db: Db; boss: Boss; userId: string; sessionId: string }): Promise<SessionView> {
  const { db, boss, sessionId } = options;
  const current = await getOwnSession(options);
  if (current.status === "STOPPING" || current.status === "STOPPED") return toSessionView(current);
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.labSession.update({
      where: { id: sessionId },
      data: { status: "STOPPING", statusReason: "Removing the lab's containers and networks" },
    });
    await enqueue(boss, "teardownSession", { sessionId }, { tx });
    return updated;
  });
  return toSessionView(row);
}
