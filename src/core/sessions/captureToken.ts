// Short-lived signed tokens for the worker's /capture namespace: one session, the holder's role in it
// (owner and driver as driver, viewer, instructor), what others see of them (handle). The same secret
// as terminal tokens, another audience: neither opens the other's namespace.
import { z } from "zod";
import { terminalRoleSchema } from "~/protocol/roles";
import { signToken, verifyToken } from "./signedToken";

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

export function signCaptureToken(secret: string, claims: CaptureClaims, ttlSeconds = CAPTURE_TOKEN_TTL_SECONDS): Promise<string> {
  return signToken(secret, AUDIENCE, captureClaimsSchema.parse(claims), ttlSeconds);
}

/** The claims of a valid capture token; a TerminalTokenError (missing, expired, invalid) otherwise. */
export function verifyCaptureToken(secret: string, token: unknown): Promise<CaptureClaims> {
  return verifyToken(secret, AUDIENCE, token, captureClaimsSchema, {
    missing: "no capture token was sent; open the capture panel from the lab page",
    expired: "capture token has expired; reopen the capture panel to get a new one",
    invalid: "capture token is not valid (bad signature, another audience, or malformed)",
    claims: "capture token has unexpected claims",
  });
}
