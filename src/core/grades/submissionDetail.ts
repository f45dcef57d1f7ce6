import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { findClassAccess, CLASS_TEACHER, type Actor } from "~/core/access/classes";
import { labOfSession } from "~/core/labs/sessionLab";
import { submissionResultsSchema } from "~/core/grading/outcomes";

export const SUBMISSION_NOT_FOUND = "This submission does not exist or is not yours.";

/**
 * One submission with each check's result and message: for the learner who made it, and for the
 * instructor of the class it was made for (or an admin). Anyone else: NOT_FOUND.
 */
export async function submissionDetail(options: { db: Db; actor: Actor; submissionId: string }) {
  const { db, actor } = options;
  const submission = await db.submission.findUnique({
    where: { id: options.submissionId },
    include: { session: { include: { assignment: true } } },
  });
  if (!submission) throw new AppError("NOT_FOUND", SUBMISSION_NOT_FOUND);
  const { session } = submission;
  const own = session.ownerId === actor.id;
  const classAccess = session.classId ? await findClassAccess(db, actor, session.classId) : undefined;
  if (!own && classAccess?.access !== CLASS_TEACHER) throw new AppError("NOT_FOUND", SUBMISSION_NOT_FOUND);

  const lab = labOfSession(session);
  const steps = lab?.steps ?? [];
  const learner = await db.user.findUnique({ where: { id: session.ownerId }, select: { name: true } });
  const dueAt = session.assignment?.dueAt ?? null;
  return {
    id: submission.id,
    learnerName: learner?.name ?? "(deleted user)",
    labSlug: submission.labSlug,
    labTitle: lab?.title ?? submission.labSlug,
    className: classAccess?.klass.name ?? null,
    attempt: submission.attempt,
    score: submission.score,
    maxScore: submission.maxScore,
    submittedAt: submission.createdAt,
    dueAt,
    late: !!dueAt && submission.createdAt > dueAt,
    revealedSteps: submission.revealedSteps.map((id) => steps.find((s) => s.id === id)?.title ?? id),
    checks: submissionResultsSchema.parse(submission.results).map((r) => {
      const step = steps.find((s) => s.id === r.stepId);
      return {
        checkId: r.checkId,
        stepTitle: step?.title ?? r.stepId,
        description: step?.checks.find((c) => c.id === r.checkId)?.description ?? r.checkId,
        passed: r.passed,
        earned: r.earned,
        points: r.points,
        message: r.message,
      };
    }),
  };
}

export type SubmissionDetail = Awaited<ReturnType<typeof submissionDetail>>;
