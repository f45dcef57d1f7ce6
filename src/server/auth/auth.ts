// Identity: better-auth, sessions in PostgreSQL (Prisma adapter). The server issues every identity:
// a guest (POST /api/auth/sign-in/anonymous) or an account (email and password, or a magic link);
// the cookie carries an opaque session token signed with BETTER_AUTH_SECRET, never the user id.
// A guest who signs up or in keeps their work (src/core/accounts/transferGuest.ts).
import "server-only";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous, magicLink } from "better-auth/plugins";
import { getDb, type Db } from "~/core/db";
import { webEnv } from "~/server/env";
import { newHandle } from "./handle";
import { LEARNER } from "~/protocol/accountRoles";
import { parseDisplayName } from "~/core/accounts/displayName";
import { transferGuest } from "~/core/accounts/transferGuest";

const DAY_SECONDS = 24 * 3600;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
export const MAGIC_LINK_MINUTES = 15;

/** No mail server here: the link is printed to the web's log, where the operator finds it. */
function printMagicLink({ email, url }: { email: string; url: string }): void {
  console.log(`[wireroom] magic link for ${email}: ${url}`);
}

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
    // Accounts (better-auth's default, 3 per 10 s, would be for the whole platform without a proxy):
    // per address a person's retries; without one, a class signing in at once.
    "/sign-in/email": { window: 60, max: perClientAddress ? 10 : 300 },
    "/sign-up/email": { window: 60, max: perClientAddress ? 10 : 300 },
    "/sign-in/magic-link": { window: 60, max: perClientAddress ? 5 : 100 },
    "/magic-link/verify": { window: 60, max: perClientAddress ? 10 : 300 },
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
    // The handle (user.name) is issued by the server (a guest's) or chosen once at sign-up (an
    // account's): nobody renames themselves into someone else. A guest is never deleted on request
    // (their sessions and submissions would lose their owner); the plugin deletes it after linking.
    disabledPaths: ["/update-user", "/update-session", "/delete-anonymous-user", "/delete-user"],
    // No mail server: addresses are not verified (see printMagicLink).
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
    },
    // A magic link's display name is checked when the link is asked for, not when it is opened.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = ctx.body as { name?: unknown } | undefined;
        if (ctx.path !== "/sign-in/magic-link" || body?.name === undefined || body.name === "") return;
        const name = parseDisplayName(body.name);
        if (!name.ok) throw new APIError("BAD_REQUEST", { message: name.message, code: "INVALID_DISPLAY_NAME" });
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // Every new user is a learner, whatever a request says; an account's name is a display name
          // (a magic link's new account without one gets a generated name, as guests do).
          before: async (user) => {
            const role = LEARNER;
            if (user.isAnonymous === true) return { data: { ...user, role } };
            if (!user.name?.trim()) return { data: { ...user, name: newHandle("member"), role } };
            const name = parseDisplayName(user.name);
            if (!name.ok) throw new APIError("BAD_REQUEST", { message: name.message, code: "INVALID_DISPLAY_NAME" });
            return { data: { ...user, name: name.name, role } };
          },
        },
      },
    },
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
    plugins: [
      anonymous({
        generateName: () => newHandle(),
        // The guest's work moves to the account in one transaction; then the plugin deletes the guest's
        // user row (and with it their better-auth sessions: the old cookie is no one). If the move
        // fails, the sign-in answers an error and the guest keeps everything.
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          await transferGuest(options.db, anonymousUser.user.id, newUser.user.id);
        },
        disableDeleteAnonymousUser: false,
      }),
      magicLink({ sendMagicLink: printMagicLink, expiresIn: MAGIC_LINK_MINUTES * 60, storeToken: "hashed" }),
    ],
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
