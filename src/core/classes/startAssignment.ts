import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { CLASS_LEARNER, type Actor } from "~/core/access/classes";
import { startSession } from "~/core/sessions/startSession";
import type { SessionView } from "~/core/sessions/sessionView";
import { getAssignmentAccess } from "./assignmentAccess";

/**
 * A learner of the class starts an assigned lab: their session of it that is starting or running
 * is returned (Open), else a new one is started with the class and assignment on it and the
 * assignment's time limit (the platform's session time when it has none).
 */
export async function startAssignment(options: {
  db: Db;
  boss: Boss;
  actor: Actor;
  assignmentId: string;
  /** The platform's session time and limits (the web's settings). */
  ttlMinutes: number;
  maxActivePerUser: number;
  maxActiveSessions?: number;
  maxActiveContainers?: number;
  maxWaitingSessions?: number;
  /** WORKER_STALE_SECONDS (placement). */
  staleSeconds?: number;
}): Promise<SessionView> {
  const { assignment, klass, access } = await getAssignmentAccess(options.db, options.actor, options.assignmentId);
  if (access !== CLASS_LEARNER)
    throw new AppError(
      "FORBIDDEN",
      `Only the learners of ${klass.name} start its assignments: to try the lab yourself, start it from the home page.`,
    );
  return startSession({
    db: options.db,
    boss: options.boss,
    userId: options.actor.id,
    labSlug: assignment.labSlug,
    ttlMinutes: assignment.timeLimitMinutes ?? options.ttlMinutes,
    maxActivePerUser: options.maxActivePerUser,
    maxActiveSessions: options.maxActiveSessions,
    maxActiveContainers: options.maxActiveContainers,
    maxWaitingSessions: options.maxWaitingSessions,
    staleSeconds: options.staleSeconds,
    classId: klass.id,
    assignmentId: assignment.id,
  });
}
