import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Actor } from "~/core/access/classes";
import { getTaughtAssignment } from "./assignmentAccess";
import { labTitleOf } from "./assignmentView";

/**
 * The instructor removes an assignment that nobody has submitted yet. Once someone has, it stays:
 * removing it would drop their grades from the gradebook (its sessions would lose the assignment).
 */
export async function unassign(options: { db: Db; actor: Actor; assignmentId: string }) {
  const { assignment } = await getTaughtAssignment(options.db, options.actor, options.assignmentId);
  const submitted = await options.db.submission.count({ where: { session: { assignmentId: assignment.id } } });
  if (submitted > 0)
    throw new AppError(
      "CONFLICT",
      `${labTitleOf(assignment.labSlug)} has ${submitted} submission${submitted === 1 ? "" : "s"}: it stays assigned so that they keep counting in the gradebook. You can still change its due date or limits.`,
    );
  await options.db.assignment.delete({ where: { id: assignment.id } });
  return { removed: true };
}
