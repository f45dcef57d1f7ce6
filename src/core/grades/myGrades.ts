import type { Db } from "~/core/db";
import type { Actor } from "~/core/access/classes";
import { labTitleOf } from "~/core/classes/assignmentView";
import { gradeOf } from "./grade";

/**
 * The learner's own gradebook: one row per lab they submitted, per class assignment (or on its
 * own, for a lab started outside a class), with the best score, attempts, late flag and each
 * submission (newest first) for its detail.
 */
export async function myGrades(options: { db: Db; actor: Actor }) {
  const sessions = await options.db.labSession.findMany({
    where: { ownerId: options.actor.id, submissions: { some: {} } },
    select: {
      labSlug: true,
      assignment: { select: { id: true, dueAt: true, class: { select: { id: true, name: true } } } },
      submissions: {
        select: { id: true, sessionId: true, attempt: true, score: true, maxScore: true, createdAt: true, revealedSteps: true },
      },
    },
  });
  const rows = new Map<
    string,
    {
      labSlug: string;
      assignment: (typeof sessions)[number]["assignment"];
      submissions: (typeof sessions)[number]["submissions"];
    }
  >();
  for (const s of sessions) {
    const key = s.assignment ? `assignment:${s.assignment.id}` : `lab:${s.labSlug}`;
    const row = rows.get(key) ?? { labSlug: s.labSlug, assignment: s.assignment, submissions: [] };
    row.submissions.push(...s.submissions);
    rows.set(key, row);
  }
  return [...rows.values()]
    .map(({ labSlug, assignment, submissions }) => {
      const dueAt = assignment?.dueAt ?? null;
      return {
        labSlug,
        labTitle: labTitleOf(labSlug),
        classId: assignment?.class.id ?? null,
        className: assignment?.class.name ?? null,
        dueAt,
        ...gradeOf(submissions, dueAt),
        submissions: submissions
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
          .map(({ id, sessionId, score, maxScore, createdAt }) => ({
            id,
            sessionId,
            score,
            maxScore,
            submittedAt: createdAt,
            late: !!dueAt && createdAt > dueAt,
          })),
      };
    })
    .sort((a, b) => (b.lastSubmittedAt?.getTime() ?? 0) - (a.lastSubmittedAt?.getTime() ?? 0));
}

export type MyGrades = Awaited<ReturnType<typeof myGrades>>;
