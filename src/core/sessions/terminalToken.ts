// Short-lived signed tokens that let a browser open one terminal of one session on the worker.
// The web signs them (after checking the user owns the session); the worker verifies them.
import { z } from "zod";
import { containerNameSchema } from "~/protocol/labNames";
import { terminalRoleSchema } from "~/protocol/roles";
import { signToken, verifyToken } from "./signedToken";

export { TerminalTokenError, type TokenRejection } from "./signedToken";

const AUDIENCE = "wireroom-terminal";
export const TERMINAL_TOKEN_TTL_SECONDS = 60;

/** A browser tab's client id: issued by the web, bound to its user, kept across reconnects. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);

export const terminalClaimsSchema = z.object({
  /** The user id: never sent to other people. */
  sub: z.string().min(1),
  sid: z.uuid(),
  terminal: containerNameSchema,
  role: terminalRoleSchema,
  /** The tab's client id (input sequencing is per user and client id). */
  cid: clientIdSchema,
  /** What other people see of this user (presence, last typist). */
  handle: z.string().min(1).max(64),
});
export type TerminalClaims = z.infer<typeof terminalClaimsSchema>;

export async function signTerminalToken(
  secret: string,
  claims: TerminalClaims,
  ttlSeconds = TERMINAL_TOKEN_TTL_SECONDS,
): Promise<string> {
  return signToken(secret, AUDIENCE, terminalClaimsSchema.parse(claims), ttlSeconds);
}

export function verifyTerminalToken(secret: string, token: unknown): Promise<TerminalClaims> {
  return verifyToken(secret, AUDIENCE, token, terminalClaimsSchema, {
    missing: "no terminal token was sent; open the terminal from the lab page",
    expired: "terminal token has expired; reload the terminal to get a new one",
    invalid: "terminal token is not valid (bad signature or malformed)",
    claims: "terminal token has unexpected claims",
  });
}
