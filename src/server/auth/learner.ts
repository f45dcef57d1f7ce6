// Who is asking: the learner behind a request's better-auth session cookie, or null.
import "server-only";
import { getAuth } from "./auth";
import { parseAccountRole, type AccountRole } from "~/protocol/accountRoles";

/**
 * A signed-in person: the user id (never shown to others), the display name (shown; a guest's is
 * their handle), the account role, and whether they are a guest (anonymous, no account yet).
 */
export type Learner = { id: string; handle: string; role: AccountRole; guest: boolean };

/**
 * Resolves the session cookie against the database: a made-up, forged or expired cookie (or
 * none) is no one. Refreshing the session and its cookie is left to the auth endpoints.
 */
export async function learnerFromHeaders(headers: Headers): Promise<Learner | null> {
  const found = await getAuth().api.getSession({ headers, query: { disableRefresh: true } });
  if (!found) return null;
  const { user } = found;
  return { id: user.id, handle: user.name, role: parseAccountRole(user.role), guest: user.isAnonymous === true };
}
