import type { Db } from "~/core/db";
import type { Actor } from "~/core/access/classes";
import { mayAdminister, mayTeach } from "~/protocol/accountRoles";
import { learnerAssignments, toAssignmentView } from "./assignmentView";

/**
 * The classes someone teaches (an admin: every class) and those they learn in, each learned one
 * with its assignments and the learner's sessions of them (the home page's Start/Open).
 */
export async function listClasses(options: { db: Db; actor: Actor }) {
  const { db, actor } = options;
  const [taught, memberships] = await Promise.all([
    db.class.findMany({
      where: mayAdminister(actor.role) ? {} : { instructorId: actor.id },
      include: { assignments: { orderBy: { createdAt: "asc" } }, _count: { select: { members: true } } },
      orderBy: { createdAt: "desc" },
    }),
    db.classMember.findMany({
      where: { userId: actor.id },
      include: { class: { include: { assignments: { orderBy: { createdAt: "asc" } } } } },
      orderBy: { joinedAt: "desc" },
    }),
  ]);
  const instructorIds = [...new Set([...taught, ...memberships.map((m) => m.class)].map((c) => c.instructorId))];
  const instructors = await db.user.findMany({ where: { id: { in: instructorIds } }, select: { id: true, name: true } });
  const instructorName = (id: string) => instructors.find((u) => u.id === id)?.name ?? "an instructor";
  return {
    /** Whether they may create classes (an instructor or admin). */
    canCreate: mayTeach(actor.role),
    teaching: taught.map((c) => ({
      id: c.id,
      name: c.name,
      instructorName: instructorName(c.instructorId),
      mine: c.instructorId === actor.id,
      learners: c._count.members,
      assignments: c.assignments.map(toAssignmentView),
    })),
    learning: await Promise.all(
      memberships.map(async ({ class: c }) => ({
        id: c.id,
        name: c.name,
        instructorName: instructorName(c.instructorId),
        assignments: await learnerAssignments(db, actor.id, c.assignments),
      })),
    ),
  };
}
