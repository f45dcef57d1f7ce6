// The first admin of a fresh install is made with a one-time setup token, not by whoever signs up
// first. While no admin exists the web prints a token at start (ensureSetupToken); the database
// keeps only its sha256 and expiry (the Installation row). A signed-in account that enters it
// becomes admin, and the token is cleared in the same transaction (redeemSetupToken).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { getInstallationId } from "~/core/installation";
import type { Actor } from "~/core/access/classes";
import { ADMIN } from "~/protocol/accountRoles";
import { FailureLimiter, waitText } from "./failureLimiter";

export const SETUP_TOKEN_TTL_MS = 24 * 3600 * 1000;
export const SETUP_TOKEN_USED =
  "This setup token has been used or has expired. Run `npm run setup-token` on the server for a new one.";
export const GUEST_CANNOT_ADMINISTER = "Sign up first: a guest cannot become an admin.";
export const SETUP_TOKEN_ALREADY_PRINTED = "a setup token was already printed; run `npm run setup-token` for a new one";

export const hashSetupToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** What ensureSetupToken did: an admin exists; a new token (to print); or a valid one was already printed. */
export type EnsureResult =
  { kind: "admin-exists" } | { kind: "minted"; token: string; expiresAt: Date } | { kind: "already-printed" };

const adminExists = async (db: Db) => (await db.user.count({ where: { role: ADMIN } })) > 0;

/**
 * While no admin exists, makes sure a valid token exists: a new one is minted only when none is
 * valid (a conditional update), so of two web processes starting together one prints it and the
 * other hears "already printed".
 */
export async function ensureSetupToken(db: Db, now = new Date()): Promise<EnsureResult> {
  if (await adminExists(db)) return { kind: "admin-exists" };
  await getInstallationId(db);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_MS);
  const { count } = await db.installation.updateMany({
    where: {
      singleton: true,
      OR: [{ setupTokenHash: null }, { setupTokenExpiresAt: null }, { setupTokenExpiresAt: { lte: now } }],
    },
    data: { setupTokenHash: hashSetupToken(token), setupTokenExpiresAt: expiresAt },
  });
  return count === 1 ? { kind: "minted", token, expiresAt } : { kind: "already-printed" };
}

/** The operator's command: a fresh token (the previous one stops working), or the admins when there are some. */
export async function mintSetupToken(
  db: Db,
  now = new Date(),
): Promise<{ kind: "admins"; admins: { name: string; email: string }[] } | { kind: "minted"; token: string; expiresAt: Date }> {
  const admins = await db.user.findMany({
    where: { role: ADMIN },
    select: { name: true, email: true },
    orderBy: { createdAt: "asc" },
  });
  if (admins.length > 0) return { kind: "admins", admins };
  await getInstallationId(db);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_MS);
  await db.installation.update({
    where: { singleton: true },
    data: { setupTokenHash: hashSetupToken(token), setupTokenExpiresAt: expiresAt },
  });
  return { kind: "minted", token, expiresAt };
}

/** The line the web and the command print. */
export function setupTokenLine(webOrigin: string, token: string): string {
  return `[wireroom] No admin yet. Sign up, then open ${webOrigin}/setup and enter this one-time setup token (valid 24 h): ${token}`;
}

// Wrong tokens: 5 per account and 30 on the whole platform (this process) in 15 minutes. The token
// has 256 bits, so this only keeps the logs and the database quiet. The platform's bucket holds back
// only accounts that have typed a wrong token themselves: strangers' guesses never lock the
// operator, who enters the right one first, out of their own platform.
const WINDOW_MS = 15 * 60 * 1000;
const perAccount = new FailureLimiter({ max: 5, windowMs: WINDOW_MS });
const platform = new FailureLimiter({ max: 30, windowMs: WINDOW_MS });

/**
 * A signed-in account (not a guest) with the valid token becomes admin; the token is cleared in
 * the same transaction. A wrong, used or expired token gets one message (no oracle).
 */
export async function redeemSetupToken(
  db: Db,
  actor: Actor & { guest: boolean },
  token: string,
  now = new Date(),
): Promise<{ role: typeof ADMIN }> {
  if (actor.guest) throw new AppError("FORBIDDEN", GUEST_CANNOT_ADMINISTER);
  if (actor.role === ADMIN) throw new AppError("CONFLICT", "You are already an admin of this platform.");
  const wait = Math.max(perAccount.retryAfterMs(actor.id), perAccount.hasFailed(actor.id) ? platform.retryAfterMs("") : 0);
  if (wait > 0) throw new AppError("LIMIT_EXCEEDED", `Too many wrong setup tokens: try again in ${waitText(wait)}.`);
  const redeemed = await db.$transaction(async (tx) => {
    const { count } = await tx.installation.updateMany({
      where: { singleton: true, setupTokenHash: hashSetupToken(token.trim()), setupTokenExpiresAt: { gt: now } },
      data: { setupTokenHash: null, setupTokenExpiresAt: null },
    });
    if (count !== 1) return false;
    await tx.user.update({ where: { id: actor.id }, data: { role: ADMIN } });
    return true;
  });
  if (!redeemed) {
    perAccount.fail(actor.id);
    platform.fail("");
    throw new AppError("BAD_REQUEST", SETUP_TOKEN_USED);
  }
  return { role: ADMIN };
}
