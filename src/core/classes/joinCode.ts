// Join codes: 10 characters of Crockford's base32 (no I, L, O, U), 50 bits from crypto.randomInt,
// stored as the 10 characters and shown as XXXXX-XXXXX. What a learner types is read leniently:
// any case, dashes and spaces ignored, and the letters Crockford reads as digits (I, L → 1, O → 0).
import { randomInt } from "node:crypto";

export const JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const JOIN_CODE_LENGTH = 10;
export const DEFAULT_CODE_DAYS = 14;
export const MIN_CODE_DAYS = 1;
export const MAX_CODE_DAYS = 90;

export const INVALID_JOIN_CODE =
  "This join code is not valid or has expired. Check it with your instructor: codes look like ABCDE-FGHJK.";

/** A fresh code (stored form: 10 characters, no dash). */
export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** The stored form of what someone typed, or undefined when it cannot be a code. */
export function normaliseJoinCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (code.length !== JOIN_CODE_LENGTH) return undefined;
  for (const char of code) if (!JOIN_CODE_ALPHABET.includes(char)) return undefined;
  return code;
}

/** XXXXX-XXXXX, as people read and type it. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** When a code made now with this lifetime stops working. */
export function codeExpiry(days: number, now = Date.now()): Date {
  return new Date(now + days * 24 * 3600_000);
}
