// The instructor resets a learner's lab: a fresh session is started for the same learner and
// assignment, then the running one is stopped through the normal teardown (endReason reset) and
// points at the fresh one (resetToId; the learner's page follows it). Submissions stay with the old
// session and still count.
//
// The fresh one is started FIRST, within the platform's caps (the old one's containers still run
// and still count): a reset the platform has no room for is refused before anything is torn down,
// so the learner's lab keeps running. Checking room first and tearing down after would race other
// starts (the room is only held inside startSession's locked transaction).
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
  maxActiveSessions: number;
  maxActiveContainers: number;
  /** WORKER_STALE_SECONDS (placement). */
  staleSeconds?: number;
}): Promise<{ session: SessionView; resetToId: string }> {
  const { db, boss } = options;
  const { session, access, assignment } = await getTaughtSession(db, options.userId, options.sessionId);
  if (!isIn(session.status, LIVE)) throw new AppError("CONFLICT", NOTHING_TO_RESET);
  let fresh: SessionView;
  try {
    fresh = await startSession({
      db,
      boss,
      userId: session.ownerId,
      labSlug: assignment?.labSlug ?? session.labSlug,
      ttlMinutes: assignment?.timeLimitMinutes ?? options.ttlMinutes,
      // The old session still runs: it is not the learner's second lab.
      maxActivePerUser: options.maxActivePerUser + 1,
      maxActiveSessions: options.maxActiveSessions,
      maxActiveContainers: options.maxActiveContainers,
      staleSeconds: options.staleSeconds,
      // Full: refused, not put in line (the running lab would be torn down for a fresh one that only waits).
      waitWhenFull: false,
      // Without the assignment here: startSession would hand back the learner's running session of
      // it (the old one). The fresh one gets it at once, so a Start the learner presses now finds it.
      classId: session.classId ?? undefined,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAVAILABLE")
      throw new AppError(error.code, `${error.message} The learner's lab was not reset and keeps running.`);
    throw error;
  }
  await db.labSession.update({ where: { id: fresh.id }, data: { assignmentId: session.assignmentId } });
  const stopping = await requestTeardown(
    db,
    boss,
    session.id,
    "Your instructor reset this lab: removing the lab's containers and networks",
    EndReason.reset,
  );
  if (!stopping) {
    // It ended meanwhile (its learner stopped it, or it expired): nothing to reset; the fresh one goes.
    await db.labSession.update({ where: { id: fresh.id }, data: { assignmentId: null } });
    await requestTeardown(db, boss, fresh.id, "This reset found the lab already ended", EndReason.instructor);
    throw new AppError("CONFLICT", NOTHING_TO_RESET);
  }
  const row = await db.labSession.update({ where: { id: session.id }, data: { resetToId: fresh.id } });
  return { session: await sessionViewOf(db, row, access), resetToId: fresh.id };
}
