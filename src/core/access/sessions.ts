// Who may do what in a session: the owner, or a member with the role their invite gave. The one
// place that converts between the database's MemberRole (DRIVER, VIEWER, INSTRUCTOR) and the role
// vocabulary of tRPC, the gateway and the page (src/protocol/roles.ts).
import type { LabSession } from "~/generated/prisma/client";
import { MemberRole } from "~/generated/prisma/enums";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import {
  DRIVER,
  INSTRUCTOR,
  OWNER,
  terminalRoleFor,
  VIEWER,
  type Access,
  type InviteRole,
  type TerminalRole,
} from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { parseAccountRole } from "~/protocol/accountRoles";
import { teaches } from "./classes";

type MemberAccess = Exclude<Access, typeof OWNER>;
const MEMBER_ROLE_OF: Record<MemberAccess, MemberRole> = {
  [DRIVER]: MemberRole.DRIVER,
  [VIEWER]: MemberRole.VIEWER,
  [INSTRUCTOR]: MemberRole.INSTRUCTOR,
};
const ACCESS_OF = Object.fromEntries(Object.entries(MEMBER_ROLE_OF).map(([access, role]) => [role, access])) as Record<
  MemberRole,
  MemberAccess
>;

/** The member role an accepted invite writes. */
export function memberRoleFor(role: InviteRole): MemberRole {
  return MEMBER_ROLE_OF[role];
}

/** How a member's stored role takes part. */
export function accessOfMember(role: MemberRole): Access {
  return ACCESS_OF[role];
}

/** The session and how the user takes part in it, or undefined when they do not. */
export async function findSessionAccess(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<{ session: LabSession; access: Access } | undefined> {
  const found = await db.labSession.findUnique({ where: { id: sessionId }, include: { members: { where: { userId } } } });
  // A session in a lab's pool is no one's until a learner's start claims it (src/core/pool/).
  if (!found || found.pooledAt) return undefined;
  const { members, ...session } = found;
  if (session.ownerId === userId) return { session, access: OWNER };
  const member = members[0];
  if (member) return { session, access: accessOfMember(member.role) };
  // A session started for a class is its instructor's (and an admin's) to watch and help in.
  if (session.classId && (await teachesClass(db, userId, session.classId))) return { session, access: INSTRUCTOR };
  return undefined;
}

async function teachesClass(db: Db, userId: string, classId: string): Promise<boolean> {
  const [user, klass] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { role: true } }),
    db.class.findUnique({ where: { id: classId }, select: { instructorId: true } }),
  ]);
  return user !== null && klass !== null && teaches({ id: userId, role: parseAccountRole(user.role) }, klass.instructorId);
}

/**
 * Loads a session the user owns or was invited to. Anyone else gets the same answer as for a
 * missing session, so ids cannot be probed.
 */
export async function getSessionAccess(options: {
  db: Db;
  userId: string;
  sessionId: string;
}): Promise<{ session: LabSession; access: Access }> {
  const found = await findSessionAccess(options.db, options.userId, options.sessionId);
  if (!found) throw new AppError("NOT_FOUND", "This lab session does not exist or is not yours.");
  return found;
}

/**
 * Whether a terminal token's role may connect now: the session is running and the role is one the
 * user's access gives today (a member whose role changed since the token was signed is refused).
 * An instructor may also watch read-only (as a viewer).
 */
export function mayOpenTerminal(
  found: { session: Pick<LabSession, "status">; access: Access } | undefined,
  role: TerminalRole,
): boolean {
  if (found === undefined || !isRunning(found.session.status)) return false;
  return terminalRoleFor(found.access) === role || (found.access === INSTRUCTOR && role === VIEWER);
}
