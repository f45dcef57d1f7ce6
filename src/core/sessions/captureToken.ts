// Short-lived signed tokens for the worker's /capture namespace: one session, the holder's role in it
// (owner and driver as driver, viewer, instructor), what others see of them (handle). The same secret
// as terminal tokens, another audience: neither opens the other's namespace.
import { SignJWT, errors, jwtVerify } from "jose";
import { z } from "zod";
import { terminalRoleSchema } from "~/protocol/roles";
import { TerminalTokenError } from "./terminalToken";

const ISSUER = "wireroom-web";
const AUDIENCE = "wireroom-capture";
export const CAPTURE_TOKEN_TTL_SECONDS = 60;

export const captureClaimsSchema = z.object({
  /** The user id: never sent to other people. */
  sub: z.string().min(1),
  sid: z.uuid(),
  role: terminalRoleSchema,
  handle: z.string().min(1).max(64),
});
export type CaptureClaims = z.infer<typeof captureClaimsSchema>;

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signCaptureToken(
  secret: string,
  claims: CaptureClaims,
  ttlSeconds = CAPTURE_TOKEN_TTL_SECONDS,
): Promise<string> {
  const { sub, ...rest } = captureClaimsSchema.parse(claims);
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

/** The claims of a valid capture token; a TerminalTokenError (missing, expired, invalid) otherwise. */
export async function verifyCaptureToken(secret: string, token: unknown): Promise<CaptureClaims> {
  if (typeof token !== "string" || token.length === 0) {
    throw new TerminalTokenError("missing", "no capture token was sent; open the capture panel from the lab page");
  }
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    const claims = captureClaimsSchema.safeParse(payload);
    if (!claims.success) throw new TerminalTokenError("invalid", "capture token has unexpected claims");
    return claims.data;
  } catch (error) {
    if (error instanceof TerminalTokenError) throw error;
    if (error instanceof errors.JWTExpired) {
      throw new TerminalTokenError("expired", "capture token has expired; reopen the capture panel to get a new one");
    }
    throw new TerminalTokenError("invalid", "capture token is not valid (bad signature, another audience, or malformed)");
  }
}
