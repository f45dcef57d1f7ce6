import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { isIn, ENDING } from "~/protocol/sessionStatus";
import type { InviteRole } from "~/protocol/roles";
import { signInvite, verifyInvite } from "~/core/sessions/invites";
import { memberRoleFor } from "~/core/access/sessions";
import { getOwnSession } from "./getOwnSession";

/** The owner gets a link that lets others join the session's terminals as drivers or viewers. */
export async function createInvite(options: { db: Db; secret: string; userId: string; sessionId: string; role: InviteRole }) {
  const session = await getOwnSession(options);
  if (isIn(session.status, ENDING)) throw new AppError("CONFLICT", "This lab has stopped; start a new one to share.");
  const token = await signInvite(options.secret, session.id, options.role);
  return { path: `/sessions/${session.id}/join?invite=${encodeURIComponent(token)}`, role: options.role };
}

/** Someone opens an invite link: they become a member with the invite's role. */
export async function acceptInvite(options: {
  db: Db;
  secret: string;
  userId: string;
  token: string;
}): Promise<{ sessionId: string }> {
  const { sessionId, role } = await verifyInvite(options.secret, options.token);
  const session = await options.db.labSession.findUnique({ where: { id: sessionId } });
  if (!session || isIn(session.status, ENDING)) {
    throw new AppError("NOT_FOUND", "The lab this link points to has stopped.");
  }
  if (session.ownerId !== options.userId) {
    const memberRole = memberRoleFor(role);
    await options.db.sessionMember.upsert({
      where: { sessionId_userId: { sessionId, userId: options.userId } },
      create: { sessionId, userId: options.userId, role: memberRole },
      update: { role: memberRole },
    });
  }
  return { sessionId };
}
