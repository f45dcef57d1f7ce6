import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import type { EndReason } from "~/protocol/sessionEnd";
import { requestStop } from "./transitions";

/**
 * Moves a session to STOPPING and enqueues its teardown in one transaction, on its worker's queue
 * (read after the move, which holds the row: a placement moving it elsewhere has committed or waits);
 * no-op once stopping.
 */
export async function requestTeardown(
  db: Db,
  boss: Boss,
  sessionId: string,
  reason: string,
  endedBy: EndReason,
): Promise<LabSession | undefined> {
  return db.$transaction(async (tx) => {
    if ((await requestStop(tx, sessionId, reason, endedBy)) === "skipped") return undefined;
    const row = await tx.labSession.findUniqueOrThrow({ where: { id: sessionId } });
    await enqueue(boss, "teardownSession", { sessionId }, { tx, workerId: row.workerId });
    return row;
  });
}
