import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { getTaughtClass, type Actor } from "~/core/access/classes";

/**
 * The instructor removes a learner from the class: they can no longer start its assignments.
 * Sessions they already started stay (and stay visible to the instructor); so do their grades'
 * submissions, which reappear if they join again.
 */
export async function removeLearner(options: { db: Db; actor: Actor; classId: string; userId: string }) {
  const klass = await getTaughtClass(options.db, options.actor, options.classId);
  const removed = await options.db.classMember.deleteMany({ where: { classId: klass.id, userId: options.userId } });
  if (removed.count === 0)
    throw new AppError("NOT_FOUND", `That person is not a learner of ${klass.name} (maybe already removed).`);
  return { removed: true };
}
