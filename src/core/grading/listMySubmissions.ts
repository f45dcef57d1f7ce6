// The learner's results on their home: every submission they made (newest first), with its score,
// its lab and its session, whose page keeps the steps and results read-only once it has ended.
import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";

/** The most submissions the home lists. */
export const MY_SUBMISSIONS_LIMIT = 50;

export type MySubmission = {
  id: string;
  sessionId: string;
  labSlug: string;
  labTitle: string;
  attempt: number;
  score: number;
  maxScore: number;
  createdAt: Date;
};

/** Only the user's own submissions: a submission is written for its session's owner (its userId). */
export async function listMySubmissions(options: { db: Db; userId: string }): Promise<MySubmission[]> {
  const rows = await options.db.submission.findMany({
    where: { userId: options.userId },
    include: { session: { select: { id: true, labSlug: true, lab: true, labHash: true } } },
    orderBy: { createdAt: "desc" },
    take: MY_SUBMISSIONS_LIMIT,
  });
  return rows.map(({ id, sessionId, labSlug, attempt, score, maxScore, createdAt, session }) => ({
    id,
    sessionId,
    labSlug,
    labTitle: labOfSession(session)?.title ?? labSlug,
    attempt,
    score,
    maxScore,
    createdAt,
  }));
}
