// Signed invite links: the owner shares a session as driver or viewer (24 hours).
import { SignJWT, jwtVerify } from "jose";
import { z } from "zod";
import { AppError } from "~/core/errors";
import { inviteRoleSchema, type InviteRole } from "~/protocol/roles";

const AUDIENCE = "wireroom-invite";
/** Links shared before the rename (netlab) stay valid until they expire (24 hours). */
const LEGACY_AUDIENCE = "netlab-invite";

const key = (secret: string) => new TextEncoder().encode(secret);

export function signInvite(secret: string, sessionId: string, role: InviteRole): Promise<string> {
  return new SignJWT({ sid: sessionId, role })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("24h")
    .sign(key(secret));
}

export async function verifyInvite(secret: string, token: string): Promise<{ sessionId: string; role: InviteRole }> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience: [AUDIENCE, LEGACY_AUDIENCE], algorithms: ["HS256"] });
    const claims = z.object({ sid: z.uuid(), role: inviteRoleSchema }).parse(payload);
    return { sessionId: claims.sid, role: claims.role };
  } catch {
    throw new AppError("BAD_REQUEST", "This invite link is not valid or has expired; ask for a new one.");
  }
}
