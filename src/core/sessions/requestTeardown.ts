import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";

/** Marks a session STOPPING and enqueues its teardown in one transaction; no-op once stopping. */
export async function requestTeardown(db: Db, boss: Boss, sessionId: string, reason: string): Promise<LabSession | undefined> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.labSession.updateMany({
      where: { id: sessionId, status: { notIn: ["STOPPING", "STOPPED"] } },
      data: { status: "STOPPING", statusReason: reason },
    });
    if (count === 0) return undefined;
    await enqueue(boss, "teardownSession", { sessionId }, { tx });
    return tx.labSession.findUniqueOrThrow({ where: { id: sessionId } });
  });
}
