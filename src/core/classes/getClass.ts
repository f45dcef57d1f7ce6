import type { Db } from "~/core/db";
import { CLASS_TEACHER, getClassAccess, type Actor } from "~/core/access/classes";
import { learnerAssignments, toAssignmentView } from "./assignmentView";
import { formatJoinCode } from "./joinCode";

/**
 * A class as its instructor sees it (join code and expiry, roster with display names,
 * assignments) or as a learner does (its assignments with their own sessions and grades).
 * Anyone else: NOT_FOUND.
 */
export async function getClass(options: { db: Db; actor: Actor; classId: string }) {
  const { db, actor } = options;
  const { klass, access } = await getClassAccess(db, actor, options.classId);
  const assignments = await db.assignment.findMany({ where: { classId: klass.id }, orderBy: { createdAt: "asc" } });
  const instructor = await db.user.findUnique({ where: { id: klass.instructorId }, select: { name: true } });
  const common = { id: klass.id, name: klass.name, instructorName: instructor?.name ?? "an instructor" };
  if (access === CLASS_TEACHER) {
    const members = await db.classMember.findMany({ where: { classId: klass.id }, orderBy: { joinedAt: "asc" } });
    const users = await db.user.findMany({
      where: { id: { in: members.map((m) => m.userId) } },
      select: { id: true, name: true, isAnonymous: true },
    });
    return {
      access: "teacher" as const,
      ...common,
      joinCode: formatJoinCode(klass.joinCode),
      joinCodeExpiresAt: klass.joinCodeExpiresAt,
      joinCodeExpired: klass.joinCodeExpiresAt.getTime() <= Date.now(),
      roster: members.map((m) => {
        const user = users.find((u) => u.id === m.userId);
        return {
          userId: m.userId,
          name: user?.name ?? "(deleted user)",
          guest: user?.isAnonymous === true,
          joinedAt: m.joinedAt,
        };
      }),
      assignments: assignments.map(toAssignmentView),
    };
  }
  return { access: "learner" as const, ...common, assignments: await learnerAssignments(db, actor.id, assignments) };
}

export type ClassPage = Awaited<ReturnType<typeof getClass>>;
