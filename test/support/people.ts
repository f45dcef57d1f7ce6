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

const WEB = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
export const TEST_PASSWORD = "correct horse battery staple";

/** Signs up through the real auth route; the cookie a browser would keep. */
export async function signUp(name: string, email = `${randomUUID().slice(0, 12)}@accounts.test`): Promise<string> {
  const res = await authRoute.POST(
    new Request(`${WEB}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB },
      body: JSON.stringify({ name, email, password: TEST_PASSWORD }),
    }),
  );
  if (res.status !== 200) throw new Error(`sign-up of ${email} answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
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
