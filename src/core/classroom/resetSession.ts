// The instructor resets a learner's lab: the running session is stopped through the normal
// teardown (endReason reset), a fresh one is started for the same learner and assignment, and the
// old one points at it (resetToId; the learner's page follows it). Submissions stay with the old
// session and still count.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { requestTeardown } from "~/core/sessions/requestTeardown";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { startSession } from "~/core/sessions/startSession";
import { EndReason } from "~/protocol/sessionEnd";
import { isIn, LIVE } from "~/protocol/sessionStatus";
import { getTaughtSession } from "./classSession";

export const NOTHING_TO_RESET = "This session is not running, so there is nothing to reset.";

export async function resetSession(options: {
  db: Db;
  boss: Boss;
  userId: string;
  sessionId: string;
  /** The platform's session time (when the assignment has no limit) and limits (the web's settings). */
  ttlMinutes: number;
  maxActivePerUser: number;
}): Promise<{ session: SessionView; resetToId: string }> {
  const { db, boss } = options;
  const { session, access, assignment } = await getTaughtSession(db, options.userId, options.sessionId);
  if (!isIn(session.status, LIVE)) throw new AppError("CONFLICT", NOTHING_TO_RESET);
  const stopping = await requestTeardown(
    db,
    boss,
    session.id,
    "Your instructor reset this lab: removing the lab's containers and networks",
    EndReason.reset,
  );
  if (!stopping) throw new AppError("CONFLICT", NOTHING_TO_RESET);
  const fresh = await startSession({
    db,
    boss,
    userId: session.ownerId,
    labSlug: assignment?.labSlug ?? session.labSlug,
    ttlMinutes: assignment?.timeLimitMinutes ?? options.ttlMinutes,
    // The old session still counts until its teardown finishes: it is not the learner's second lab.
    maxActivePerUser: options.maxActivePerUser + 1,
    classId: session.classId ?? undefined,
    assignmentId: session.assignmentId ?? undefined,
  });
  const row = await db.labSession.update({ where: { id: session.id }, data: { resetToId: fresh.id } });
  return { session: await sessionViewOf(db, row, access), resetToId: fresh.id };
}
