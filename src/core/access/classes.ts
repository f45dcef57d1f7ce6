// Who may do what in a class: its instructor (or an admin) teaches it, its learners take part.
// Everyone else is answered exactly as for a class that does not exist, so ids cannot be probed.
// The one rule for classes, called by every class service and by the session rule
// (src/core/access/sessions.ts) for an instructor's view of a learner's session.
import type { Class } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { mayAdminister, mayTeach, type AccountRole } from "~/protocol/accountRoles";

/** Who is asking: a signed-in user and their account role. */
export type Actor = { id: string; role: AccountRole };

export const CLASS_TEACHER = "teacher";
export const CLASS_LEARNER = "learner";
export type ClassAccess = typeof CLASS_TEACHER | typeof CLASS_LEARNER;

export const CLASS_NOT_FOUND = "This class does not exist or is not yours.";

/** Whether the actor teaches a class with this instructor: its instructor, or an admin. */
export function teaches(actor: Actor, instructorId: string): boolean {
  return mayAdminister(actor.role) || (mayTeach(actor.role) && actor.id === instructorId);
}

/** The class and how the actor takes part in it, or undefined when they do not. */
export async function findClassAccess(
  db: Db,
  actor: Actor,
  classId: string,
): Promise<{ klass: Class; access: ClassAccess } | undefined> {
  const klass = await db.class.findUnique({ where: { id: classId } });
  if (!klass) return undefined;
  if (teaches(actor, klass.instructorId)) return { klass, access: CLASS_TEACHER };
  const member = await db.classMember.findUnique({ where: { classId_userId: { classId, userId: actor.id } } });
  return member ? { klass, access: CLASS_LEARNER } : undefined;
}

/** A class the actor teaches or learns in; NOT_FOUND otherwise. */
export async function getClassAccess(db: Db, actor: Actor, classId: string): Promise<{ klass: Class; access: ClassAccess }> {
  const found = await findClassAccess(db, actor, classId);
  if (!found) throw new AppError("NOT_FOUND", CLASS_NOT_FOUND);
  return found;
}

/** A class the actor teaches. Its learners are refused (FORBIDDEN); anyone else gets NOT_FOUND. */
export async function getTaughtClass(db: Db, actor: Actor, classId: string): Promise<Class> {
  const { klass, access } = await getClassAccess(db, actor, classId);
  if (access !== CLASS_TEACHER) throw new AppError("FORBIDDEN", "Only the class's instructor can do this.");
  return klass;
}

/** Refuses anyone who is not an instructor or an admin (creating a class). */
export function requireTeacher(actor: Actor): void {
  if (!mayTeach(actor.role))
    throw new AppError("FORBIDDEN", "Only instructors can do this. Ask an admin of this platform to make you one.");
}

/** Refuses anyone who is not an admin. */
export function requireAdmin(actor: Actor): void {
  if (!mayAdminister(actor.role)) throw new AppError("FORBIDDEN", "Only an admin of this platform can do this.");
}
