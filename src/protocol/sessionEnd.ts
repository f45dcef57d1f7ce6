// Why a session ended, and how each person in it is told: the owner stopped it, it expired, its
// class's instructor ended it, or the instructor reset it (a fresh session took its place).
// Browser-safe; the view (src/core/sessions/sessionView.ts) says it instead of "Stopped".
import { z } from "zod";
import { OWNER, type Access } from "./roles";

export const EndReason = { owner: "owner", expired: "expired", instructor: "instructor", reset: "reset" } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];
export const endReasonSchema = z.enum([EndReason.owner, EndReason.expired, EndReason.instructor, EndReason.reset]);

/** The line a person of the session reads once it has ended. */
export function endedLine(reason: EndReason, access: Access): string {
  switch (reason) {
    case EndReason.expired:
      return "The session's time ran out, so it ended.";
    case EndReason.instructor:
      return access === OWNER ? "Your instructor ended this session." : "The instructor ended this session.";
    case EndReason.reset:
      return access === OWNER
        ? "Your instructor reset this lab: a fresh session has started."
        : "The instructor reset this lab: a fresh session has started.";
    case EndReason.owner:
      return access === OWNER ? "You ended this session." : "The owner ended this session.";
  }
}
