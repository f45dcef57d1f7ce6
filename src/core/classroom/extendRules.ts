// Extending a class session's time (issue 12): +15 minutes a press, only while it runs; its owner
// only when the assignment allows it, the class's instructor always; never past the assignment's
// maxExtensionMinutes in total. Pure: the view's canExtend and the extend service both ask it.
import { INSTRUCTOR, OWNER, type Access } from "~/protocol/roles";
import { isRunning, type SessionStatus } from "~/protocol/sessionStatus";

export const EXTEND_STEP_MINUTES = 15;

export type ExtendFacts = {
  status: SessionStatus;
  access: Access;
  extendedMinutes: number;
  /** The session's assignment; null for a session without one (a lab started alone). */
  assignment: { extendAllowed: boolean; maxExtensionMinutes: number } | null;
};

/** Why this press may not extend the session (who may not: FORBIDDEN; not now: CONFLICT), or undefined when it may. */
export function extendRefusal(facts: ExtendFacts): { code: "FORBIDDEN" | "CONFLICT"; message: string } | undefined {
  const { assignment } = facts;
  if (!assignment) return { code: "CONFLICT", message: "Only a session started for a class assignment can be extended." };
  if (facts.access !== OWNER && facts.access !== INSTRUCTOR)
    return { code: "FORBIDDEN", message: "Only the session's learner or the class's instructor can extend it." };
  if (facts.access === OWNER && !assignment.extendAllowed)
    return { code: "FORBIDDEN", message: "This assignment does not let learners extend their time: ask your instructor." };
  if (!isRunning(facts.status))
    return { code: "CONFLICT", message: "This session is not running, so its time cannot be extended." };
  if (facts.extendedMinutes >= assignment.maxExtensionMinutes)
    return {
      code: "CONFLICT",
      message: `This session has already been extended by ${facts.extendedMinutes} minutes, the most this class allows.`,
    };
  return undefined;
}

/** The minutes one press adds: a step, or what is left of the assignment's allowance. */
export function extensionMinutes(extendedMinutes: number, maxExtensionMinutes: number): number {
  return Math.max(0, Math.min(EXTEND_STEP_MINUTES, maxExtensionMinutes - extendedMinutes));
}
