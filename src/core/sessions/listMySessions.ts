// The learner's home: their sessions, running ones first, then the most recent settled ones. A
// session is theirs when they started it, or joined it through an invite (as a driver or viewer):
// so a guest who closed the tab finds the lab they were invited to again. An instructor's access
// to a class's sessions is not listed here (the class's dashboard lists those).
import { MemberRole } from "~/generated/prisma/enums";
import type { Db } from "~/core/db";
import { accessOfMember } from "~/core/access/sessions";
import { OWNER } from "~/protocol/roles";
import { SETTLED } from "~/protocol/sessionStatus";
import { toSessionView, type SessionView } from "./sessionView";

/** The most sessions the home lists. */
export const MY_SESSIONS_LIMIT = 50;

/** What the home shows of one session. */
export type MySession = Pick<
  SessionView,
  | "id"
  | "labSlug"
  | "labTitle"
  | "status"
  | "statusReason"
  | "createdAt"
  | "expiresAt"
  | "access"
  | "inProgress"
  | "isSettled"
  | "canStop"
>;

/** Invited members' roles that make a session one of theirs (an instructor's is the dashboard's). */
const JOINED_ROLES = [MemberRole.DRIVER, MemberRole.VIEWER];

export async function listMySessions(options: { db: Db; userId: string }): Promise<MySession[]> {
  const { db, userId } = options;
  const mine = { OR: [{ ownerId: userId }, { members: { some: { userId, role: { in: JOINED_ROLES } } } }] };
  const include = { members: { where: { userId } } };
  const running = await db.labSession.findMany({
    where: { AND: [mine, { status: { notIn: [...SETTLED] } }] },
    include,
    orderBy: { createdAt: "desc" },
    take: MY_SESSIONS_LIMIT,
  });
  const settled = await db.labSession.findMany({
    // A session that ended between the two reads is listed once (as the first read saw it; its change is pushed after).
    where: { AND: [mine, { status: { in: [...SETTLED] } }, { id: { notIn: running.map((s) => s.id) } }] },
    include,
    orderBy: { createdAt: "desc" },
    take: MY_SESSIONS_LIMIT - running.length,
  });
  return [...running, ...settled].flatMap(({ members, ...row }) => {
    const member = members[0];
    if (row.ownerId === userId) return [pick(toSessionView(row, OWNER))];
    return member ? [pick(toSessionView(row, accessOfMember(member.role)))] : [];
  });
}

function pick(view: SessionView): MySession {
  const { id, labSlug, labTitle, status, statusReason, createdAt, expiresAt, access, inProgress, isSettled, canStop } = view;
  return { id, labSlug, labTitle, status, statusReason, createdAt, expiresAt, access, inProgress, isSettled, canStop };
}
