// Identity: better-auth with anonymous sign-in, sessions in PostgreSQL (Prisma adapter). The
// server issues every identity (POST /api/auth/sign-in/anonymous); the cookie carries an opaque
// session token signed with BETTER_AUTH_SECRET, never the user id. Accounts, classes and roles
// extend this later.
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous } from "better-auth/plugins";
import { getDb, type Db } from "~/core/db";
import { webEnv } from "~/server/env";
import { newHandle } from "./handle";
import { LEARNER } from "~/protocol/accountRoles";

const DAY_SECONDS = 24 * 3600;

/**
 * better-auth's limits (on under `next start`), counted per client address when a trusted proxy
 * names it (TRUSTED_CLIENT_IP_HEADER) and otherwise in one bucket per path for the whole platform:
 * headers a client writes itself are never read. A count starts over once a window passes without
 * an allowed request.
 */
function rateLimitRules(perClientAddress: boolean) {
  return {
    // A class of 300 arriving within a minute or two: behind one address each, or all on one platform.
    "/sign-in/anonymous": { window: 60, max: perClientAddress ? 300 : 600 },
    // Reading one's own session is one indexed lookup, like any tRPC call: not limited, so nobody's
    // flood answers anybody else 429 (which the IdentityGate shows as "Could not sign you in").
    "/get-session": false,
    "/list-sessions": false,
    "/list-accounts": false,
    "/account-info": false,
    "/ok": false,
  } as const;
}

export function createAuth(options: { db: Db; secret: string; webOrigins: string[]; trustedClientIpHeader?: string }) {
  return betterAuth({
    appName: "wireroom",
    // The public URL (first web origin); requests from the other origins are trusted as well.
    baseURL: options.webOrigins[0],
    basePath: "/api/auth",
    secret: options.secret,
    database: prismaAdapter(options.db, { provider: "postgresql" }),
    trustedOrigins: options.webOrigins,
    telemetry: { enabled: false },
    // An anonymous learner cannot sign in again: keep the identity while it is used.
    session: { expiresIn: 30 * DAY_SECONDS, updateAge: DAY_SECONDS },
    rateLimit: { customRules: rateLimitRules(options.trustedClientIpHeader !== undefined) },
    // The handle (user.name) is issued by the server: nobody renames themselves into someone else.
    disabledPaths: ["/update-user", "/update-session"],
    // The account role (src/protocol/accountRoles.ts): never given by a sign-up (input: false);
    // only the setup token and an admin change it (src/core/accounts/).
    user: { additionalFields: { role: { type: "string", input: false, required: false, defaultValue: LEARNER } } },
    advanced: {
      // The name from before the rename (netlab), kept: a new prefix would sign every learner out
      // of the sessions they are running. Changes when accounts arrive (their cookies are new).
      cookiePrefix: "netlab",
      // Secure cookies when the public URL (the first origin) is https; plain http on a development machine.
      useSecureCookies: options.webOrigins[0]?.startsWith("https://") ?? false,
      // Only the header the operator's proxy sets; never X-Forwarded-For as the client sent it.
      ipAddress: { ipAddressHeaders: options.trustedClientIpHeader ? [options.trustedClientIpHeader] : [] },
    },
    plugins: [anonymous({ generateName: () => newHandle(), disableDeleteAnonymousUser: true })],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { wireroomAuth?: Auth };

/** The web process's one instance (created on first use, so `next build` needs no settings). */
export function getAuth(): Auth {
  if (!globalForAuth.wireroomAuth) {
    const env = webEnv();
    globalForAuth.wireroomAuth = createAuth({
      db: getDb(env.DATABASE_URL),
      secret: env.BETTER_AUTH_SECRET,
      webOrigins: env.WEB_ORIGINS,
      trustedClientIpHeader: env.TRUSTED_CLIENT_IP_HEADER,
    });
  }
  return globalForAuth.wireroomAuth;
}

/** The browser origins better-auth trusts (WEB_ORIGINS): the web's own pages. */
export function webOrigins(): readonly string[] {
  return getAuth().options.trustedOrigins;
}
