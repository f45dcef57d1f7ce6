import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import type { EndReason } from "~/protocol/sessionEnd";
import { leaveLine, requestStop } from "./transitions";

/**
 * Moves a session to STOPPING and enqueues its teardown in one transaction, on its worker's queue
 * (read after the move, which holds the row: a placement moving it elsewhere has committed or waits);
 * no-op once stopping. A session still in line (WAITING) has nothing on an engine: it is STOPPED at
 * once, without a job, and the line moves up (the database announces it: src/core/queue/).
 */
export async function requestTeardown(
  db: Db,
  boss: Boss,
  sessionId: string,
  reason: string,
  endedBy: EndReason,
): Promise<LabSession | undefined> {
  return db.$transaction(async (tx) => {
    if ((await leaveLine(tx, sessionId, endedBy)) === "applied")
      return tx.labSession.findUniqueOrThrow({ where: { id: sessionId } });
    if ((await requestStop(tx, sessionId, reason, endedBy)) === "skipped") return undefined;
    const row = await tx.labSession.findUniqueOrThrow({ where: { id: sessionId } });
    await enqueue(boss, "teardownSession", { sessionId }, { tx, workerId: row.workerId });
    return row;
  });
}
