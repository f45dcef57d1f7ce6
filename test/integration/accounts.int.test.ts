// Issue 12, item 1: accounts. Through the real auth route (better-auth) and the real tRPC route, with
// the cookies a browser would keep: sign-up and its refusals, a role no sign-up can set, a guest whose
// work moves to their account, magic links printed to the log, the first admin by the one-time setup
// token, and the admin who makes instructors.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as authRoute from "~/app/api/auth/[...all]/route";
import { announceSetupToken } from "~/core/accounts/announceSetupToken";
import { ensureSetupToken, mintSetupToken, SETUP_TOKEN_USED, GUEST_CANNOT_ADMINISTER } from "~/core/accounts/setupToken";
import { CANNOT_CHANGE_ADMIN, CANNOT_CHANGE_OWN_ROLE } from "~/core/accounts/setRole";
import { callTrpc, db, learner } from "../support/harness";
import { authPost, cookieFrom, WEB } from "../support/people";

const PASSWORD = "correct horse battery";

const email = (what: string) => `${what}-${randomUUID().slice(0, 8)}@example.test`;

async function signUp(name: string, address = email("user"), cookie?: string) {
  const answer = await authPost("/sign-up/email", { name, email: address, password: PASSWORD }, cookie);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const user = await db().user.findUniqueOrThrow({ where: { email: address } });
  return { id: user.id, email: address, cookie: answer.cookie };
}

const me = async (cookie: string) => (await callTrpc("account.me", {}, { cookie, method: "GET" })).data;

afterEach(() => vi.restoreAllMocks());

describe("sign-up and sign-in", () => {
  it("signs up with a trimmed display name as a learner, signs in again, and signs out", async () => {
    const address = email("ada");
    const account = await signUp("  Ada   Lovelace ", address);
    expect(await me(account.cookie)).toEqual({ name: "Ada Lovelace", email: address, role: "learner", guest: false });

    const signedIn = await authPost("/sign-in/email", { email: address, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(await me(signedIn.cookie)).toMatchObject({ name: "Ada Lovelace", guest: false });

    const out = await authPost("/sign-out", {}, signedIn.cookie);
    expect(out.status).toBe(200);
    expect((await callTrpc("account.me", {}, { cookie: signedIn.cookie, method: "GET" })).status).toBe(401);
  });

  it("refuses a short password, a bad display name, a taken email and a wrong password, each with its own message", async () => {
    const short = await authPost("/sign-up/email", { name: "Bob", email: email("bob"), password: "nine char" });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: "PASSWORD_TOO_SHORT" });

    const nameless = await authPost("/sign-up/email", { name: " x ", email: email("x"), password: PASSWORD });
    expect(nameless.status).toBe(400);
    expect(String(nameless.body?.message)).toMatch(/display name is 2 to 40 printable characters/);
    const control = await authPost("/sign-up/email", { name: "evil\u202ename", email: email("x"), password: PASSWORD });
    expect(control.status).toBe(400);

    const taken = await signUp("Carol");
    const again = await authPost("/sign-up/email", { name: "Carol Two", email: taken.email, password: PASSWORD });
    expect(again.status).toBe(422);
    expect(String(again.body?.code)).toMatch(/USER_ALREADY_EXISTS/);

    const wrong = await authPost("/sign-in/email", { email: taken.email, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD" });
  });

  it("a sign-up can never set its role", async () => {
    const address = email("mallory");
    const answer = await authPost("/sign-up/email", { name: "Mallory", email: address, password: PASSWORD, role: "admin" });
    // better-auth drops a field that is not input (role), and every new user is made a learner.
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await me(answer.cookie)).toMatchObject({ name: "Mallory", role: "learner" });
    expect((await db().user.findUniqueOrThrow({ where: { email: address } })).role).toBe("learner");
    expect(await db().user.count({ where: { role: { not: "learner" } } })).toBe(0);
  });

  it("prints a magic link to the log, which signs the account in", async () => {
    const account = await signUp("Grace");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const badName = await authPost("/sign-in/magic-link", { email: email("new"), name: "\u0007", callbackURL: "/" });
    expect(badName.status).toBe(400);
    expect(String(badName.body?.message)).toMatch(/2 to 40 printable characters/);
    const asked = await authPost("/sign-in/magic-link", { email: account.email, callbackURL: "/" });
    expect(asked.status).toBe(200);
    const line = log.mock.calls.map((args) => String(args[0])).find((l) => l.includes("magic link for"));
    expect(line).toMatch(new RegExp(`^\\[wireroom\\] magic link for ${account.email.replace(/[.]/g, "\\.")}: http`));
    const url = new URL(line!.split(": ").at(-1)!);
    expect(url.pathname).toBe("/api/auth/magic-link/verify");
    const verified = await authRoute.GET(new Request(url, { headers: { origin: WEB } }));
    expect(verified.status).toBe(302);
    expect(await me(cookieFrom(verified))).toMatchObject({ name: "Grace", guest: false });
    // Used once.
    const reused = await authRoute.GET(new Request(url, { headers: { origin: WEB } }));
    expect(cookieFrom(reused)).toBe("");
  });

  it("a magic link for a new email makes an account, named as asked or given a name", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const open = async (address: string, name?: string) => {
      log.mockClear();
      expect((await authPost("/sign-in/magic-link", { email: address, name, callbackURL: "/" })).status).toBe(200);
      const line = log.mock.calls.map((args) => String(args[0])).find((l) => l.includes(`magic link for ${address}:`))!;
      const verified = await authRoute.GET(new Request(new URL(line.split(": ").at(-1)!), { headers: { origin: WEB } }));
      return me(cookieFrom(verified));
    };
    expect(await open(email("named"), "  Named  Person ")).toMatchObject({ name: "Named Person", role: "learner", guest: false });
    expect(await open(email("unnamed"))).toMatchObject({ name: expect.stringMatching(/^member-[a-z]+-[a-z]+-[a-z2-9]{3}$/) });
  });
});

describe("a guest who signs up keeps their work", () => {
  it("moves sessions, memberships, submissions, runs, reveals, classes and messages in one go; the guest is gone", async () => {
    const guest = await learner();
    const other = await learner();
    const expiresAt = new Date(Date.now() + 3600_000);
    const mine = await db().labSession.create({ data: { labSlug: "bridge-basics", ownerId: guest.id, expiresAt } });
    const shared = await db().labSession.create({ data: { labSlug: "bridge-basics", ownerId: other.id, expiresAt } });
    await db().sessionMember.create({ data: { sessionId: shared.id, userId: guest.id, role: "VIEWER" } });
    await db().submission.create({
      data: { sessionId: mine.id, userId: guest.id, labSlug: "bridge-basics", attempt: 1, score: 3, maxScore: 10, results: [] },
    });
    await db().checkRun.create({ data: { sessionId: mine.id, kind: "check", stepId: "s1", requestedBy: guest.id } });
    await db().solutionReveal.create({ data: { sessionId: mine.id, stepId: "s1", userId: guest.id } });
    const klass = await db().class.create({
      data: { name: "Nets 101", instructorId: other.id, joinCode: randomUUID().slice(0, 10), joinCodeExpiresAt: expiresAt },
    });
    await db().classMember.create({ data: { classId: klass.id, userId: guest.id } });
    await db().classMessage.create({ data: { classId: klass.id, toUserId: guest.id, fromId: other.id, body: "hi" } });

    const account = await signUp("Hedy Lamarr", email("hedy"), guest.cookie);
    expect(account.id).not.toBe(guest.id);

    expect((await db().labSession.findUniqueOrThrow({ where: { id: mine.id } })).ownerId).toBe(account.id);
    expect(await db().sessionMember.findMany({ where: { sessionId: shared.id } })).toMatchObject([{ userId: account.id }]);
    expect(await db().submission.findMany({ where: { sessionId: mine.id } })).toMatchObject([{ userId: account.id, score: 3 }]);
    expect(await db().checkRun.findMany({ where: { sessionId: mine.id } })).toMatchObject([{ requestedBy: account.id }]);
    expect(await db().solutionReveal.findMany({ where: { sessionId: mine.id } })).toMatchObject([{ userId: account.id }]);
    expect(await db().classMember.findMany({ where: { classId: klass.id } })).toMatchObject([{ userId: account.id }]);
    expect(await db().classMessage.findMany({ where: { classId: klass.id } })).toMatchObject([{ toUserId: account.id }]);
    expect(await db().user.findUnique({ where: { id: guest.id } })).toBeNull();

    // The account's cookie opens the session as its owner; the guest's old cookie is no one.
    const view = await callTrpc("session.get", { sessionId: mine.id }, { cookie: account.cookie, method: "GET" });
    expect(view.status, view.text).toBe(200);
    expect(view.data).toMatchObject({ id: mine.id, access: "owner" });
    const stale = await callTrpc("session.get", { sessionId: mine.id }, { cookie: guest.cookie, method: "GET" });
    expect(stale.status).toBe(401);
  });

  it("signing in to an existing account moves the guest's work too, skipping memberships the account already has", async () => {
    const owner = await learner();
    const expiresAt = new Date(Date.now() + 3600_000);
    const shared = await db().labSession.create({ data: { labSlug: "bridge-basics", ownerId: owner.id, expiresAt } });
    const account = await signUp("Katherine");
    await db().sessionMember.create({ data: { sessionId: shared.id, userId: account.id, role: "DRIVER" } });

    const guest = await learner();
    await db().sessionMember.create({ data: { sessionId: shared.id, userId: guest.id, role: "VIEWER" } });
    const own = await db().labSession.create({ data: { labSlug: "bridge-basics", ownerId: guest.id, expiresAt } });
    const signedIn = await authPost("/sign-in/email", { email: account.email, password: PASSWORD }, guest.cookie);
    expect(signedIn.status).toBe(200);

    expect(await db().sessionMember.findMany({ where: { sessionId: shared.id } })).toMatchObject([
      { userId: account.id, role: "DRIVER" },
    ]);
    expect((await db().labSession.findUniqueOrThrow({ where: { id: own.id } })).ownerId).toBe(account.id);
    expect(await db().user.findUnique({ where: { id: guest.id } })).toBeNull();
  });
});

describe("the first admin and the admin's page", () => {
  it("setup token: printed once, refused to guests and wrong tokens, makes one admin, then is spent", async () => {
    // Four web processes start at once: one mints and prints, the others hear it was printed.
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureSetupToken(db())));
    expect(results.filter((r) => r.kind === "minted")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "already-printed")).toHaveLength(3);
    // An expired one is replaced at the next start, printed and written to SETUP_TOKEN_FILE (0600).
    await db().installation.update({ where: { singleton: true }, data: { setupTokenExpiresAt: new Date(Date.now() - 1000) } });
    const dir = await mkdtemp(path.join(tmpdir(), "wireroom-a-setup-"));
    const tokenFile = path.join(dir, "setup-token");
    const lines: string[] = [];
    await announceSetupToken(db(), { webOrigin: WEB, tokenFile, log: (line) => lines.push(line) });
    const token = (await readFile(tokenFile, "utf8")).trim();
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    await rm(dir, { recursive: true });
    expect(lines).toEqual([
      `[wireroom] No admin yet. Sign up, then open ${WEB}/setup and enter this one-time setup token (valid 24 h): ${token}`,
    ]);
    const first = { token };
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await ensureSetupToken(db())).toEqual({ kind: "already-printed" });
    const stored = await db().installation.findUniqueOrThrow({ where: { singleton: true } });
    expect(stored.setupTokenHash).not.toContain(first.token);
    expect(stored.setupTokenHash).toMatch(/^[0-9a-f]{64}$/);

    const guest = await learner();
    const refusedGuest = await callTrpc("account.redeemSetupToken", { token: first.token }, { cookie: guest.cookie });
    expect(refusedGuest.error).toEqual({ code: "FORBIDDEN", message: GUEST_CANNOT_ADMINISTER });

    const admin = await signUp("Admin Alice", email("alice"));
    const wrong = await callTrpc("account.redeemSetupToken", { token: "x".repeat(43) }, { cookie: admin.cookie });
    expect(wrong.error).toEqual({ code: "BAD_REQUEST", message: SETUP_TOKEN_USED });
    const empty = await callTrpc("account.redeemSetupToken", { token: "  " }, { cookie: admin.cookie });
    expect(empty.error?.code).toBe("BAD_REQUEST");

    const right = await callTrpc("account.redeemSetupToken", { token: first.token }, { cookie: admin.cookie });
    expect(right.status, right.text).toBe(200);
    expect(await me(admin.cookie)).toMatchObject({ role: "admin" });

    const late = await signUp("Late Larry");
    const reuse = await callTrpc("account.redeemSetupToken", { token: first.token }, { cookie: late.cookie });
    expect(reuse.error).toEqual({ code: "BAD_REQUEST", message: SETUP_TOKEN_USED });
    expect(await me(late.cookie)).toMatchObject({ role: "learner" });
    expect(await ensureSetupToken(db())).toEqual({ kind: "admin-exists" });
    expect(await mintSetupToken(db())).toMatchObject({ kind: "admins", admins: [{ name: "Admin Alice" }] });
  });

  it("only an admin lists users and sets roles; never their own role nor another admin's", async () => {
    const [admin] = await db().user.findMany({ where: { role: "admin" } });
    const adminAccount = admin!;
    const adminSignIn = await authPost("/sign-in/email", { email: adminAccount.email, password: PASSWORD });
    const adminCookie = adminSignIn.cookie;
    const learnerAccount = await signUp("Lena Learner", email("lena"));
    const teacher = await signUp("Ian Instructor", email("ian"));
    const guest = await learner();

    for (const cookie of [learnerAccount.cookie, guest.cookie]) {
      const users = await callTrpc("admin.users", {}, { cookie, method: "GET" });
      expect(users.error?.code).toBe("FORBIDDEN");
      const promote = await callTrpc("admin.setRole", { userId: learnerAccount.id, role: "instructor" }, { cookie });
      expect(promote.error?.code).toBe("FORBIDDEN");
    }
    expect((await callTrpc("admin.users", {}, { method: "GET" })).status).toBe(401);

    const made = await callTrpc("admin.setRole", { userId: teacher.id, role: "instructor" }, { cookie: adminCookie });
    expect(made.status, made.text).toBe(200);
    expect(made.data).toMatchObject({ name: "Ian Instructor", role: "instructor" });
    expect(await me(teacher.cookie)).toMatchObject({ role: "instructor" });
    const byTeacher = await callTrpc(
      "admin.setRole",
      { userId: learnerAccount.id, role: "instructor" },
      { cookie: teacher.cookie },
    );
    expect(byTeacher.error?.code).toBe("FORBIDDEN");

    const self = await callTrpc("admin.setRole", { userId: adminAccount.id, role: "learner" }, { cookie: adminCookie });
    expect(self.error).toEqual({ code: "FORBIDDEN", message: CANNOT_CHANGE_OWN_ROLE });
    const otherAdmin = await signUp("Bea Admin", email("bea"));
    await db().user.update({ where: { id: otherAdmin.id }, data: { role: "admin" } });
    const demote = await callTrpc("admin.setRole", { userId: otherAdmin.id, role: "learner" }, { cookie: adminCookie });
    expect(demote.error).toEqual({ code: "FORBIDDEN", message: CANNOT_CHANGE_ADMIN });
    const toGuest = await callTrpc("admin.setRole", { userId: guest.id, role: "instructor" }, { cookie: adminCookie });
    expect(toGuest.error?.code).toBe("NOT_FOUND");
    const badRole = await callTrpc("admin.setRole", { userId: teacher.id, role: "admin" }, { cookie: adminCookie });
    expect(badRole.error?.code).toBe("BAD_REQUEST");
    expect(badRole.error?.message).toContain(String.raw`role must be \"learner\" or \"instructor\"`);

    const back = await callTrpc("admin.setRole", { userId: teacher.id, role: "learner" }, { cookie: adminCookie });
    expect(back.data).toMatchObject({ role: "learner" });

    const found = await callTrpc("admin.users", { query: "LENA" }, { cookie: adminCookie, method: "GET" });
    expect(found.data).toMatchObject({ users: [{ name: "Lena Learner", role: "learner" }], nextCursor: null });
    const all = (await callTrpc("admin.users", {}, { cookie: adminCookie, method: "GET" })).data as { users: { id: string }[] };
    expect(all.users.map((u) => u.id)).not.toContain(guest.id);
    expect(all.users.map((u) => u.id)).toContain(adminAccount.id);
  });
});
