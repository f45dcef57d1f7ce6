import type { Db } from "~/core/db";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import { labTitleOf } from "~/core/classes/assignmentView";
import { gradeOf, type Grade } from "./grade";

export type ClassBook = {
  classId: string;
  className: string;
  assignments: { id: string; labSlug: string; labTitle: string; dueAt: Date | null }[];
  learners: { userId: string; name: string; email: string | null; grades: (Grade & { assignmentId: string })[] }[];
};

/**
 * The gradebook of a class (its instructor, or an admin): each learner × each assignment, graded
 * from the submissions of the learner's sessions of that assignment (src/core/grades/grade.ts).
 */
export async function classBook(options: { db: Db; actor: Actor; classId: string }): Promise<ClassBook> {
  const { db } = options;
  const klass = await getTaughtClass(db, options.actor, options.classId);
  const [assignments, members] = await Promise.all([
    db.assignment.findMany({ where: { classId: klass.id }, orderBy: { createdAt: "asc" } }),
    db.classMember.findMany({ where: { classId: klass.id }, orderBy: { joinedAt: "asc" } }),
  ]);
  const [users, sessions] = await Promise.all([
    db.user.findMany({
      where: { id: { in: members.map((m) => m.userId) } },
      select: { id: true, name: true, email: true, isAnonymous: true },
    }),
    db.labSession.findMany({
      where: { classId: klass.id, assignmentId: { in: assignments.map((a) => a.id) } },
      select: {
        ownerId: true,
        assignmentId: true,
        submissions: { select: { id: true, score: true, maxScore: true, createdAt: true, revealedSteps: true } },
      },
    }),
  ]);
  const learners = members
    .map((m) => {
      const user = users.find((u) => u.id === m.userId);
      return {
        userId: m.userId,
        name: user?.name ?? "(deleted user)",
        // A guest's email is a made-up address of the anonymous plugin: not shown.
        email: user && !user.isAnonymous ? user.email : null,
        grades: assignments.map((a) => ({
          assignmentId: a.id,
          ...gradeOf(
            sessions.filter((s) => s.ownerId === m.userId && s.assignmentId === a.id).flatMap((s) => s.submissions),
            a.dueAt,
          ),
        })),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    classId: klass.id,
    className: klass.name,
    assignments: assignments.map((a) => ({ id: a.id, labSlug: a.labSlug, labTitle: labTitleOf(a.labSlug), dueAt: a.dueAt })),
    learners,
  };
}
