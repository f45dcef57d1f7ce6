import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { CLASS_TEACHER, getClassAccess, type Actor } from "~/core/access/classes";

/** A learner leaves a class. Its instructor cannot (they teach it). */
export async function leaveClass(options: { db: Db; actor: Actor; classId: string }) {
  const { klass, access } = await getClassAccess(options.db, options.actor, options.classId);
  const removed = await options.db.classMember.deleteMany({ where: { classId: klass.id, userId: options.actor.id } });
  if (removed.count === 0 && access === CLASS_TEACHER)
    throw new AppError("BAD_REQUEST", `You teach ${klass.name}: an instructor cannot leave their class.`);
  return { left: true };
}
