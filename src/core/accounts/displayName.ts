// The name an account shows to others (presence, dashboards, gradebooks): chosen at sign-up,
// stored as better-auth's user.name. A guest's name is their handle (src/server/auth/handle.ts).
import { z } from "zod";

export const DISPLAY_NAME_MIN = 2;
export const DISPLAY_NAME_MAX = 40;

const MESSAGE = `A display name is ${DISPLAY_NAME_MIN} to ${DISPLAY_NAME_MAX} printable characters (letters, digits, spaces, punctuation).`;

/**
 * Printable only: no control (NUL, escapes, line breaks), format (bidi overrides, zero-width),
 * private-use, line/paragraph separator or unassigned characters. The rule for every short text
 * one person types for others to read (display names, class names, searches).
 */
export const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+$/u;

/**
 * The server names guests guest-… and link-made accounts member-… (src/server/auth/handle.ts): a
 * chosen name never starts so, or an account could pass for a given guest in presence and dashboards.
 */
const SERVER_ISSUED = /^(guest|member)-/i;
const SERVER_ISSUED_MESSAGE =
  "A display name cannot start with guest- or member-: the server names guests so. Choose your own name.";

/** Trimmed, inner runs of spaces made one; refused with one line saying what is accepted. */
export const displayNameSchema = z
  .string({ error: MESSAGE })
  .transform((raw) => raw.trim().replace(/\s+/gu, " "))
  .pipe(
    z
      .string()
      .min(DISPLAY_NAME_MIN, MESSAGE)
      .max(DISPLAY_NAME_MAX, MESSAGE)
      .regex(PRINTABLE, MESSAGE)
      .refine((name) => !SERVER_ISSUED.test(name), SERVER_ISSUED_MESSAGE),
  );

/** The cleaned name, or the reason it is refused. */
export function parseDisplayName(raw: unknown): { ok: true; name: string } | { ok: false; message: string } {
  const parsed = displayNameSchema.safeParse(raw);
  return parsed.success ? { ok: true, name: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? MESSAGE };
}
