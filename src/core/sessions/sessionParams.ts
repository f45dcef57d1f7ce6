// LabSession.params: the values a session fills into its lab's texts and checks, randomised per
// session so one learner's answers cannot be pasted into another's lab. Parsed on read: a row
// without them, or with malformed ones, is an error naming the session (never a shared constant).
import { randomBytes } from "node:crypto";
import { z } from "zod";

// "netlab": the constant every session used before per-session params; such rows keep it, since
// their set-up already wrote it into their containers (migration 20261128120000_session_lab).
export const sessionParamsSchema = z.object({
  token: z.string().regex(/^([0-9a-f]{8}|netlab)$/, "token must be 8 hex digits (or netlab, for sessions from before them)"),
});
export type SessionParams = z.infer<typeof sessionParamsSchema>;

/** Fresh values for a new session. */
export function newSessionParams(): SessionParams {
  return sessionParamsSchema.parse({ token: randomBytes(4).toString("hex") });
}

export class SessionParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionParamsError";
  }
}

export function paramsOfSession(row: { id: string; params: unknown }): SessionParams {
  const parsed = sessionParamsSchema.safeParse(row.params);
  if (!parsed.success) {
    const found = row.params === null || row.params === undefined ? "none" : JSON.stringify(row.params);
    throw new SessionParamsError(`session ${row.id} has malformed params (${found}): ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
