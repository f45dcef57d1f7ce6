// People with account roles for tests: a guest as harness.learner() makes one, or an account that
// signed up with email and password through the real auth route, whose user.role is then written
// the way an admin or the setup token would (learner, instructor or admin). The caller is built from
// the cookie, so its context carries the role exactly as the tRPC route reads it.
import { randomUUID } from "node:crypto";
import * as authRoute from "~/app/api/auth/[...all]/route";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { LEARNER, type AccountRole } from "~/protocol/accountRoles";
import { db, learner } from "./harness";

export type Person = Awaited<ReturnType<typeof learner>> & { role: AccountRole; guest: boolean };

/** One of WEB_ORIGINS' defaults: the origin the tests' requests come from. */
export const WEB = "http://127.0.0.1:3000";
export const TEST_PASSWORD = "correct horse battery staple";

/** The cookie a browser keeps from an answer's Set-Cookie lines (name=value pairs; cleared ones dropped). */
export function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

/** A POST to the real auth route (/api/auth<path>) from the web's origin, with a cookie if given. */
export async function authPost(path: string, body: unknown, cookie?: string) {
  const headers = new Headers({ "content-type": "application/json", origin: WEB });
  if (cookie) headers.set("cookie", cookie);
  const res = await authRoute.POST(
    new Request(`${WEB}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }),
  );
  const text = await res.text();
  return {
    status: res.status,
    text,
    cookie: cookieFrom(res),
    body: jsonOrNull(text),
  };
}

/** An answer's JSON body, or null when it has none or is not JSON (a 404 page). */
function jsonOrNull(text: string): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Signs up through the real auth route; the cookie a browser would keep. */
export async function signUp(name: string, email = `${randomUUID().slice(0, 12)}@accounts.test`): Promise<string> {
  const answer = await authPost("/sign-up/email", { name, email, password: TEST_PASSWORD });
  if (answer.status !== 200) throw new Error(`sign-up of ${email} answered ${answer.status}: ${answer.text}`);
  return answer.cookie;
}

/**
 * A signed-in person: a guest, or (`account: true`, implied by any role but learner: only accounts
 * teach or administer) an account named `name` with that role.
 */
export async function person(options: { role?: AccountRole; account?: boolean; name?: string } = {}): Promise<Person> {
  const role = options.role ?? LEARNER;
  if (!(options.account ?? role !== LEARNER)) return { ...(await learner()), role, guest: true };
  const cookie = await signUp(options.name ?? `Test ${role}`);
  const signedUp = await createTRPCContext({ headers: new Headers({ cookie }) });
  if (!signedUp.learner) throw new Error(`the sign-up's cookie is no one: ${cookie}`);
  if (role !== LEARNER) await db().user.update({ where: { id: signedUp.learner.id }, data: { role } });
  const ctx = await createTRPCContext({ headers: new Headers({ cookie }) });
  if (ctx.learner?.role !== role || ctx.learner.guest)
    throw new Error(`the account's cookie reads as ${JSON.stringify(ctx.learner)}, not an account with role ${role}`);
  return { id: ctx.learner.id, handle: ctx.learner.handle, cookie, api: createCaller(ctx), role, guest: false };
}
