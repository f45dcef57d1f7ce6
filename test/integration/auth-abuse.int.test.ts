// Abuse of identity, through the real route handlers as `next start` runs them (production mode:
// better-auth's rate limiter on, no made-up local client address). One learner's flood must not
// lock out another, a header the client writes must not buy more identities, and a page on a
// foreign origin must not act with the learner's cookie.
import "../support/productionMode";
import { describe, expect, it } from "vitest";
import * as authRoute from "~/app/api/auth/[...all]/route";
import { createAuth } from "~/server/auth/auth";
import { callTrpc, db, learner } from "../support/harness";

const WEB = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
type AuthHandler = (request: Request) => Promise<Response>;

function getSession(handler: AuthHandler, cookie: string) {
  return handler(new Request(`${WEB}/api/auth/get-session`, { headers: { cookie } }));
}

function signIn(handler: AuthHandler, headers: Record<string, string> = {}) {
  return handler(
    new Request(`${WEB}/api/auth/sign-in/anonymous`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB, ...headers },
      body: "{}",
    }),
  );
}

/** Signs in until the first refusal (at most `cap` times); the statuses seen, the refusal last. */
async function signInUntilRefused(handler: AuthHandler, headers: (i: number) => Record<string, string>, cap: number) {
  const statuses: number[] = [];
  for (let i = 0; i < cap; i++) {
    const res = await signIn(handler, headers(i));
    await res.body?.cancel();
    statuses.push(res.status);
    if (res.status !== 200) break;
  }
  return statuses;
}

const CLASS = 300; // a class arriving within a minute or two must all get in
const CAP = 1000; // more sign-ins than any limit allows

describe("one learner's flood", () => {
  it("does not make another learner's get-session answer 429", async () => {
    const flooder = await learner();
    const victim = await learner();
    const flood = [];
    for (let i = 0; i < 150; i++) {
      const res = await getSession(authRoute.GET, flooder.cookie);
      await res.body?.cancel();
      flood.push(res.status);
    }
    const res = await getSession(authRoute.GET, victim.cookie);
    expect(res.status, `after the flood (${flood.filter((s) => s === 429).length} of 150 refused)`).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(victim.id);
  });
});

describe("anonymous sign-in without a trusted client address header (the default)", () => {
  it("a different X-Forwarded-For on every request mints no identities beyond the platform's limit", async () => {
    const statuses = await signInUntilRefused(authRoute.POST, (i) => ({ "x-forwarded-for": `10.9.${i >> 8}.${i & 255}` }), CAP);
    expect(statuses.at(-1), `${statuses.length} sign-ins, each from a new X-Forwarded-For, never refused`).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(CLASS);
    // Once full, neither a fresh forwarded address nor none at all gets another identity.
    const after = [];
    for (let i = 0; i < 10; i++) after.push((await signIn(authRoute.POST, { "x-forwarded-for": `10.99.0.${i}` })).status);
    for (let i = 0; i < 10; i++) after.push((await signIn(authRoute.POST)).status);
    expect(after).toEqual(Array(20).fill(429));
  });
});

describe("anonymous sign-in with TRUSTED_CLIENT_IP_HEADER=x-real-ip", () => {
  const auth = createAuth({
    db: db(),
    secret: process.env.BETTER_AUTH_SECRET!,
    webOrigins: [WEB],
    trustedClientIpHeader: "x-real-ip",
  });
  const handler: AuthHandler = (request) => auth.handler(request);

  it("limits per address in that header, whatever X-Forwarded-For says", async () => {
    const statuses = await signInUntilRefused(
      handler,
      (i) => ({ "x-real-ip": "10.20.0.1", "x-forwarded-for": `10.21.${i >> 8}.${i & 255}` }),
      CAP,
    );
    expect(statuses.at(-1), `${statuses.length} sign-ins from one x-real-ip never refused`).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(CLASS);
    // The limit is that address's: the next address still gets in, the first one still does not.
    expect((await signIn(handler, { "x-real-ip": "10.20.0.2" })).status).toBe(200);
    expect((await signIn(handler, { "x-real-ip": "10.20.0.1", "x-forwarded-for": "10.22.0.1" })).status).toBe(429);
  });
});

describe("tRPC and the request's Origin", () => {
  it("refuses a POST from a foreign origin with a valid cookie (403) and serves the web's origins and server-side callers", async () => {
    const me = await learner();
    // A session of this learner that is already stopped: stopping it again changes nothing.
    const { id: sessionId } = await db().labSession.create({
      data: { labSlug: "bridge-basics", ownerId: me.id, status: "STOPPED", expiresAt: new Date(), stoppedAt: new Date() },
    });
    for (const origin of ["http://evil.example", "null", "http://127.0.0.1:3000.evil.example"]) {
      const foreign = await callTrpc("session.stop", { sessionId }, { cookie: me.cookie, origin });
      expect(foreign.status, `${origin}: ${foreign.text}`).toBe(403);
      expect(foreign.error?.code).toBe("FORBIDDEN");
      expect(foreign.error?.message).toMatch(/origin/i);
      expect(foreign.error?.message).toContain(origin);
      expect(foreign.headers.has("set-cookie")).toBe(false);
    }
    for (const origin of [WEB, "http://localhost:3000", undefined]) {
      const answer = await callTrpc("session.stop", { sessionId }, { cookie: me.cookie, origin });
      expect(answer.status, `${origin ?? "no origin"}: ${answer.text}`).toBe(200);
      expect(answer.data).toMatchObject({ id: sessionId, status: "STOPPED" });
    }
  });
});
