// One learner's grade for one lab: the best of their submissions, how many they made, whether the
// best came after the due date, and the steps whose solution they had seen before it. Pure.

export type GradedSubmission = {
  id: string;
  score: number;
  maxScore: number;
  createdAt: Date;
  revealedSteps: string[];
};

export type Grade = {
  /** The best submission (highest score; the earliest of equals), or null before any. */
  best: { submissionId: string; score: number; maxScore: number; submittedAt: Date; revealedSteps: string[] } | null;
  attempts: number;
  /** The best submission was made after the due date. */
  late: boolean;
  lastSubmittedAt: Date | null;
};

export function gradeOf(submissions: readonly GradedSubmission[], dueAt: Date | null): Grade {
  let best: GradedSubmission | undefined;
  let last: Date | null = null;
  for (const s of submissions) {
    if (!best || s.score > best.score || (s.score === best.score && s.createdAt < best.createdAt)) best = s;
    if (!last || s.createdAt > last) last = s.createdAt;
  }
  return {
    best: best
      ? {
          submissionId: best.id,
          score: best.score,
          maxScore: best.maxScore,
          submittedAt: best.createdAt,
          revealedSteps: best.revealedSteps,
        }
      : null,
    attempts: submissions.length,
    late: !!best && !!dueAt && best.createdAt > dueAt,
    lastSubmittedAt: last,
  };
}
