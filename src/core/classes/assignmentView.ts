// How a class's assignments read: for everyone (the lab, due date, limits) and, for a learner,
// with their own sessions of each and their grade.
import type { Assignment } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { findLab } from "~/core/labs/catalog";
import { gradeOf, type Grade } from "~/core/grades/grade";
import { isIn, WAITING_OR_LIVE, type SessionStatus } from "~/protocol/sessionStatus";

export type AssignmentView = {
  id: string;
  labSlug: string;
  labTitle: string;
  dueAt: Date | null;
  timeLimitMinutes: number | null;
  extendAllowed: boolean;
  maxExtensionMinutes: number;
};

export type LearnerAssignmentView = AssignmentView & {
  /** Their session of it that is starting or running (Open), or null (Start). */
  runningSessionId: string | null;
  sessions: { id: string; status: SessionStatus; createdAt: Date }[];
  grade: Grade;
};

export const labTitleOf = (slug: string) => findLab(slug)?.title ?? slug;

export function toAssignmentView(a: Assignment): AssignmentView {
  return {
    id: a.id,
    labSlug: a.labSlug,
    labTitle: labTitleOf(a.labSlug),
    dueAt: a.dueAt,
    timeLimitMinutes: a.timeLimitMinutes,
    extendAllowed: a.extendAllowed,
    maxExtensionMinutes: a.maxExtensionMinutes,
  };
}

/** The assignments (in the order given) with this learner's sessions of them and their grades. */
export async function learnerAssignments(db: Db, userId: string, assignments: Assignment[]): Promise<LearnerAssignmentView[]> {
  if (!assignments.length) return [];
  const sessions = await db.labSession.findMany({
    where: { ownerId: userId, assignmentId: { in: assignments.map((a) => a.id) } },
    select: {
      id: true,
      status: true,
      createdAt: true,
      assignmentId: true,
      submissions: { select: { id: true, score: true, maxScore: true, createdAt: true, revealedSteps: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  return assignments.map((a) => {
    const mine = sessions.filter((s) => s.assignmentId === a.id);
    return {
      ...toAssignmentView(a),
      // A session in line counts: Open leads to its page (a second Start would hand it back anyway).
      runningSessionId: mine.find((s) => isIn(s.status, WAITING_OR_LIVE))?.id ?? null,
      sessions: mine.map(({ id, status, createdAt }) => ({ id, status, createdAt })),
      grade: gradeOf(
        mine.flatMap((s) => s.submissions),
        a.dueAt,
      ),
    };
  });
}
