import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { TerminalRole } from "~/protocol/terminalProtocol";

export type Access = "owner" | "driver" | "viewer" | "instructor";

/**
 * Loads a session the user owns or was invited to. Anyone else gets the same answer as for a
 * missing session, so ids cannot be probed.
 */
export async function getSessionAccess(options: { db: Db; userId: string; sessionId: string }): Promise<{ session: LabSession; access: Access }> {
  const session = await options.db.labSession.findUnique({
    where: { id: options.sessionId },
    include: { members: { where: { userId: options.userId } } },
  });
  if (session?.ownerId === options.userId) return { session, access: "owner" };
  const member = session?.members[0];
  if (!session || !member) throw new AppError("NOT_FOUND", "This lab session does not exist or is not yours.");
  return { session, access: member.role.toLowerCase() as Access };
}

export function terminalRoleFor(access: Access): TerminalRole {
  return access === "owner" ? "driver" : access;
}
