// Short-lived signed tokens that let a browser open one terminal of one session on the worker.
// The web signs them (after checking the user owns the session); the worker verifies them.
import { SignJWT, errors, jwtVerify } from "jose";
import { z } from "zod";
import { containerNameSchema } from "~/protocol/labNames";
import { terminalRoleSchema } from "~/protocol/roles";

const ISSUER = "wireroom-web";
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

export type TokenRejection = "missing" | "expired" | "invalid";

export class TerminalTokenError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = "TerminalTokenError";
  }
}

function key(secret: string) {
  return new TextEncoder().encode(secret);
}

export async function signTerminalToken(
  secret: string,
  claims: TerminalClaims,
  ttlSeconds = TERMINAL_TOKEN_TTL_SECONDS,
): Promise<string> {
  const { sub, ...rest } = terminalClaimsSchema.parse(claims);
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

export async function verifyTerminalToken(secret: string, token: unknown): Promise<TerminalClaims> {
  if (typeof token !== "string" || token.length === 0) {
    throw new TerminalTokenError("missing", "no terminal token was sent; open the terminal from the lab page");
  }
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    const claims = terminalClaimsSchema.safeParse(payload);
    if (!claims.success) throw new TerminalTokenError("invalid", "terminal token has unexpected claims");
    return claims.data;
  } catch (error) {
    if (error instanceof TerminalTokenError) throw error;
    if (error instanceof errors.JWTExpired) {
      throw new TerminalTokenError("expired", "terminal token has expired; reload the terminal to get a new one");
    }
    throw new TerminalTokenError("invalid", "terminal token is not valid (bad signature or malformed)");
  }
}
