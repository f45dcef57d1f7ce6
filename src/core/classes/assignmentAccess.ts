import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { CLASS_TEACHER, findClassAccess, type Actor, type ClassAccess } from "~/core/access/classes";

export const ASSIGNMENT_NOT_FOUND = "This assignment does not exist or is not in one of your classes.";

/** An assignment of a class the actor takes part in, with how they take part; NOT_FOUND otherwise. */
export async function getAssignmentAccess(db: Db, actor: Actor, assignmentId: string) {
  const assignment = await db.assignment.findUnique({ where: { id: assignmentId } });
  const found = assignment && (await findClassAccess(db, actor, assignment.classId));
  if (!assignment || !found) throw new AppError("NOT_FOUND", ASSIGNMENT_NOT_FOUND);
  return { assignment, klass: found.klass, access: found.access as ClassAccess };
}

/** An assignment of a class the actor teaches; the class's learners are refused (FORBIDDEN). */
export async function getTaughtAssignment(db: Db, actor: Actor, assignmentId: string) {
  const found = await getAssignmentAccess(db, actor, assignmentId);
  if (found.access !== CLASS_TEACHER) throw new AppError("FORBIDDEN", "Only the class's instructor can change its assignments.");
  return found;
}
