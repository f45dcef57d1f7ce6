// The web's short-lived signed tokens (HS256, issuer wireroom-web), one audience per use: terminal
// tokens, capture tokens. A token of one audience never verifies as another's.
import { SignJWT, errors, jwtVerify } from "jose";
import type { z } from "zod";

const ISSUER = "wireroom-web";

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

const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs `claims` (their `sub` as the subject) for `audience`, valid for `ttlSeconds`. */
export async function signToken(
  secret: string,
  audience: string,
  claims: { sub: string } & Record<string, unknown>,
  ttlSeconds: number,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

/** The words of each rejection, for the person holding the token. */
export type RejectionWords = { missing: string; expired: string; invalid: string; claims: string };

/** The token's claims, checked with `schema`; a TerminalTokenError saying why not otherwise. */
export async function verifyToken<S extends z.ZodType>(
  secret: string,
  audience: string,
  token: unknown,
  schema: S,
  words: RejectionWords,
): Promise<z.infer<S>> {
  if (typeof token !== "string" || token.length === 0) throw new TerminalTokenError("missing", words.missing);
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience, algorithms: ["HS256"] });
    const claims = schema.safeParse(payload);
    if (!claims.success) throw new TerminalTokenError("invalid", words.claims);
    return claims.data;
  } catch (error) {
    if (error instanceof TerminalTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new TerminalTokenError("expired", words.expired);
    throw new TerminalTokenError("invalid", words.invalid);
  }
}
