// The one way a classroom service loads a session: through the access module, with its class's
// assignment. An instructor's action needs access `instructor` (the class's instructor or an
// admin, src/core/access/sessions.ts); a learner's needs them to own it. Shared by help, extend,
// reset and end.
import type { Assignment, LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { getSessionAccess } from "~/core/access/sessions";
import { INSTRUCTOR, OWNER, type Access } from "~/protocol/roles";

export type ClassSession = { session: LabSession; access: Access; assignment: Assignment | null };

export const NOT_A_CLASS_SESSION = "This session was not started for a class, so classroom actions do not apply to it.";
export const INSTRUCTORS_ONLY = "Only the class's instructor can do this.";

/** A class session the user takes part in (refused like a missing session to anyone else). */
export async function getClassSession(db: Db, userId: string, sessionId: string): Promise<ClassSession> {
  const { session, access } = await getSessionAccess({ db, userId, sessionId });
  if (!session.classId) throw new AppError("BAD_REQUEST", NOT_A_CLASS_SESSION);
  const assignment = session.assignmentId ? await db.assignment.findUnique({ where: { id: session.assignmentId } }) : null;
  return { session, access, assignment };
}

/** A class session the user teaches (its instructor or an admin); its learner and members are refused. */
export async function getTaughtSession(db: Db, userId: string, sessionId: string): Promise<ClassSession> {
  const found = await getClassSession(db, userId, sessionId);
  if (found.access !== INSTRUCTOR) throw new AppError("FORBIDDEN", INSTRUCTORS_ONLY);
  return found;
}

/** Its learner (the owner) or its instructor. */
export async function getOwnOrTaughtSession(db: Db, userId: string, sessionId: string): Promise<ClassSession> {
  const found = await getClassSession(db, userId, sessionId);
  if (found.access !== OWNER && found.access !== INSTRUCTOR)
    throw new AppError("FORBIDDEN", "Only the session's learner or the class's instructor can do this.");
  return found;
}
