// Why a session ended, and how each person in it is told: the owner stopped it, or it expired.
// Browser-safe; the view (src/core/sessions/sessionView.ts) says it instead of "Stopped".
import { z } from "zod";
import { OWNER, type Access } from "./roles";

export const EndReason = { owner: "owner", expired: "expired" } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];
export const endReasonSchema = z.enum([EndReason.owner, EndReason.expired]);

/** The line a person of the session reads once it has ended. */
export function endedLine(reason: EndReason, access: Access): string {
  if (reason === EndReason.expired) return "The session's time ran out, so it ended.";
  return access === OWNER ? "You ended this session." : "The owner ended this session.";
}
