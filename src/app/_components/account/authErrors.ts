// better-auth's refusals, said so a person knows what to do next. Codes are better-auth's
// (@better-auth/core's error codes); anything else keeps the server's own message.
export const MIN_PASSWORD = 10;

const MESSAGES: Record<string, string> = {
  PASSWORD_TOO_SHORT: `This password is too short: use at least ${MIN_PASSWORD} characters.`,
  PASSWORD_TOO_LONG: "This password is too long: use at most 128 characters.",
  INVALID_EMAIL: "This is not an email address: write it as name@example.org.",
  INVALID_EMAIL_OR_PASSWORD: "The email or the password is wrong. Check both, or sign in with a magic link instead.",
  USER_ALREADY_EXISTS: "An account with this email already exists: sign in instead, or ask for a magic link.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists: sign in instead, or ask for a magic link.",
  INVALID_TOKEN: "This magic link is wrong or was already used: ask for a new one.",
  EXPIRED_TOKEN: "This magic link has expired: ask for a new one.",
};

/** One line for a failed sign-in, sign-up or magic-link request. */
export function explainAuthError(error: { code?: string; status?: number; message?: string } | null | undefined): string {
  if (!error) return "Something went wrong. Try again.";
  if (error.status === 429) return "Too many attempts just now. Wait a minute, then try again.";
  const known = error.code ? MESSAGES[error.code] : undefined;
  if (known) return known;
  if (error.message) return error.message.endsWith(".") ? error.message : `${error.message}.`;
  return "The server did not answer. Check your connection, then try again.";
}
