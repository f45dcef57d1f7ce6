// A browser tab's client id for terminals: issued by the server and bound to its user, so input
// sequencing (per user and client id) cannot be steered by a value another user chose.
// Format: 22 random characters, then 22 characters of HMAC(secret, user id + random), base64url.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { clientIdSchema } from "~/core/sessions/terminalToken";

const PART = 22; // 16 bytes in base64url

function mac(secret: string, userId: string, random: string): string {
  return createHmac("sha256", secret)
    .update(`wireroom-client-id\0${userId}\0${random}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

function isBoundTo(secret: string, userId: string, clientId: string): boolean {
  if (clientId.length !== 2 * PART || !clientIdSchema.safeParse(clientId).success) return false;
  const expected = Buffer.from(mac(secret, userId, clientId.slice(0, PART)));
  const given = Buffer.from(clientId.slice(PART));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The tab's client id: the one it sent when that is well-formed and bound to this user, otherwise
 * a fresh one (never an error: a tab that lost or mangled its id simply gets a new one).
 */
export function resolveClientId(secret: string, userId: string, sent?: string): string {
  if (sent && isBoundTo(secret, userId, sent)) return sent;
  const random = randomBytes(16).toString("base64url");
  return random + mac(secret, userId, random);
}
