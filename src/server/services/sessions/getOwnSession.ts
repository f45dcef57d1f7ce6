import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/**
 * Loads a session the user owns. Another user's session is reported exactly like a missing
 * one, so ids cannot be probed.
 */
export async function getOwnSession(options: { db: Db; userId: string; sessionId: string }): Promise<LabSession> {
  const row = await options.db.labSession.findUnique({ where: { id: options.sessionId } });
  if (!row || row.ownerId !== options.userId) {
    throw new AppError("NOT_FOUND", "This lab session does not exist or is not yours.");
  }
  return row;
}
