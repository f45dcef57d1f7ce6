import type { Db } from "~/core/db";
import type { Actor } from "~/core/access/classes";
import { getTaughtAssignment } from "./assignmentAccess";
import { toAssignmentView } from "./assignmentView";
import { requireFutureDueDate } from "./assignmentRules";
import type { AssignmentSettings } from "./assign";

/**
 * The instructor changes an assignment's settings (only those given; null clears a due date or a
 * time limit). A changed time limit applies to sessions started afterwards.
 */
export async function updateAssignment(options: { db: Db; actor: Actor; assignmentId: string } & AssignmentSettings) {
  const { assignment } = await getTaughtAssignment(options.db, options.actor, options.assignmentId);
  if (options.dueAt && options.dueAt.getTime() !== assignment.dueAt?.getTime()) requireFutureDueDate(options.dueAt);
  const updated = await options.db.assignment.update({
    where: { id: assignment.id },
    data: {
      dueAt: options.dueAt,
      timeLimitMinutes: options.timeLimitMinutes,
      extendAllowed: options.extendAllowed,
      maxExtensionMinutes: options.maxExtensionMinutes,
    },
  });
  return toAssignmentView(updated);
}
