// Who is asking: the learner behind a request's better-auth session cookie, or null.
import "server-only";
import { getAuth } from "./auth";

/** A signed-in learner: the user id (never shown to others) and the display handle (shown). */
export type Learner = { id: string; handle: string };

/**
 * Resolves the session cookie against the database: a made-up, forged or expired cookie (or
 * none) is no one. Refreshing the session and its cookie is left to the auth endpoints.
 */
export async function learnerFromHeaders(headers: Headers): Promise<Learner | null> {
  const found = await getAuth().api.getSession({ headers, query: { disableRefresh: true } });
  return found ? { id: found.user.id, handle: found.user.name } : null;
}
