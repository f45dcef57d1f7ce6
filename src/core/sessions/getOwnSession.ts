import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { OWNER } from "~/protocol/roles";
import { getSessionAccess } from "~/core/access/sessions";

/** Loads a session the user owns: only the owner may stop or share it. */
export async function getOwnSession(options: { db: Db; userId: string; sessionId: string }): Promise<LabSession> {
  const { session, access } = await getSessionAccess(options);
  if (access !== OWNER) throw new AppError("FORBIDDEN", "Only the learner who started this lab can do that.");
  return session;
}
