// LabSession.params: the values a session fills into its lab's texts and checks, randomised per
// session so one learner's answers cannot be pasted into another's lab. Parsed on read: a row
// without them, or with malformed ones, is an error naming the session (never a shared constant).
import { randomBytes } from "node:crypto";
import { z } from "zod";

export const sessionParamsSchema = z.object({ token: z.string().regex(/^[0-9a-f]{8}$/, "token must be 8 hex digits") });
export type SessionParams = z.infer<typeof sessionParamsSchema>;

/** Fresh values for a new session. */
export function newSessionParams(): SessionParams {
  return sessionParamsSchema.parse({ token: randomBytes(4).toString("hex") });
}

export function paramsOfSession(row: { id: string; params: unknown }): SessionParams {
  const parsed = sessionParamsSchema.safeParse(row.params);
  if (!parsed.success) {
    const found = row.params === null || row.params === undefined ? "none" : JSON.stringify(row.params);
    throw new Error(`session ${row.id} has malformed params (${found}): ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
