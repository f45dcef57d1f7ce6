// Issue 12's new surfaces attacked as an outsider would (helper R3): sign-up fields a browser does
// not send, display names that pose as someone else, the setup token and join codes locked out by
// a stranger's wrong guesses, class and assignment ids probed, someone else's submission, the CSV
// with formula cells, help messages and class messages out of bounds, extend raced past its
// allowance, and a guest's work moved by racing sign-ups. Real PostgreSQL and the real auth and
// tRPC routes; no worker (sessions that must run are written READY the way a worker leaves them).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as csvRoute from "~/app/classes/[classId]/gradebook.csv/route";
import { mintSetupToken } from "~/core/accounts/setupToken";
import { HELP_CHANGES_MAX } from "~/core/classroom/help";
import { readBanners } from "~/core/classroom/messages";
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { newSessionParams } from "~/core/sessions/sessionParams";
import { ADMIN, LEARNER, TEACHER } from "~/protocol/accountRoles";
import { Status } from "~/protocol/sessionStatus";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { callTrpc, db, learner } from "../support/harness";
import { authPost, person, TEST_PASSWORD, WEB, type Person } from "../support/people";
import { refused } from "../support/refused";

const LAB = "bridge-basics";
const email = (what: string) => `${what}-${randomUUID().slice(0, 8)}@attack.test`;

/** A caller for a cookie, as the route builds it. */
async function callerFor(cookie: string) {
  return createCaller(await createTRPCContext({ headers: new Headers({ cookie }) }));
}

/** A class of the teacher with LAB assigned; its id, assignment id and join code. */
async function classOf(teacher: Person, settings: { extendAllowed?: boolean; maxExtensionMinutes?: number } = {}) {
  const { id: classId } = await teacher.api.classes.create({ name: `Attack ${randomUUID().slice(0, 6)}` });
  const assignment = await teacher.api.classes.assign({ classId, labSlug: LAB, ...settings });
  const klass = await db().class.findUniqueOrThrow({ where: { id: classId } });
  return { classId, assignmentId: (assignment as { id: string }).id, joinCode: klass.joinCode };
}

/** A class session of the learner, READY as a worker leaves it. */
async function readySession(owner: Person, klass: { classId: string; assignmentId: string } | null) {
  const row = await db().labSession.create({
    data: {
      labSlug: LAB,
      ...sessionLabColumns(findLab(LAB)!),
      ownerId: owner.id,
      status: Status.ready,
      expiresAt: new Date(Date.now() + 60 * 60_000),
      params: newSessionParams(),
      classId: klass?.classId ?? null,
      assignmentId: klass?.assignmentId ?? null,
    },
  });
  return row.id;
}

/** A class with two learners, Ana (with a READY session of its assignment) and Ben. */
async function classWithAnaRunning() {
  const [teacher, ana, ben] = await Promise.all([person({ role: TEACHER }), person(), person()]);
  const klass = await classOf(teacher);
  await ana.api.classes.join({ code: klass.joinCode });
  await ben.api.classes.join({ code: klass.joinCode });
  return { teacher, klass, ana, ben, sessionId: await readySession(ana, klass) };
}

// First, while this database has no admin yet: the setup token.
describe("the setup token", () => {
  it("cannot be locked away from the operator by strangers' wrong tokens", async () => {
    const minted = await mintSetupToken(db());
    if (minted.kind !== "minted") throw new Error("an admin exists before the setup-token test");
    // Seven sign-ups, five wrong tokens each: 35 failures, past the platform's 30.
    const strangers = await Promise.all(Array.from({ length: 7 }, (_, i) => person({ account: true, name: `Stranger ${i}` })));
    for (const stranger of strangers)
      for (let i = 0; i < 5; i++) await refused(stranger.api.account.redeemSetupToken({ token: `wrong-${i}-${randomUUID()}` }));
    // The stranger who guessed is held back, whatever they send ...
    expect((await refused(strangers[0]!.api.account.redeemSetupToken({ token: minted.token }))).code).toBe("TOO_MANY_REQUESTS");
    // ... but the operator, who never typed a wrong one, still becomes the first admin.
    const operator = await person({ account: true, name: "The operator" });
    expect(await operator.api.account.redeemSetupToken({ token: minted.token })).toEqual({ role: ADMIN });
  });
});

describe("sign-up fields a browser does not send", () => {
  it("a sign-up cannot make itself a guest (which would skip the display-name rule) nor an admin", async () => {
    const address = email("forger");
    const answer = await authPost("/sign-up/email", {
      name: "\u202Enimda",
      email: address,
      password: TEST_PASSWORD,
      isAnonymous: true,
      role: ADMIN,
      emailVerified: true,
    });
    const row = await db().user.findUnique({ where: { email: address } });
    // Either refused for its name, or made as an ordinary learner account with a checked name.
    if (row) expect(row).toMatchObject({ role: LEARNER, isAnonymous: false, name: expect.not.stringContaining("\u202E") });
    else expect(answer.text).toMatch(/display name/i);
  });

  it("refuses names with bidi overrides, zero-width or control characters (terminal escapes included)", async () => {
    for (const name of ["\u202Eevil", "ad\u200Bmin", "Ana\u0007", "\u001b[31mred", "\u2066x\u2069", "B\u2060OM"]) {
      const answer = await authPost("/sign-up/email", { name, email: email("bad-name"), password: TEST_PASSWORD });
      expect(answer.status, JSON.stringify(name)).toBe(400);
      expect(answer.text).toMatch(/display name is 2 to 40 printable characters/);
    }
    // A line break is folded into a space: a name is always one line.
    const address = email("two-lines");
    expect((await authPost("/sign-up/email", { name: "Two\nLines", email: address, password: TEST_PASSWORD })).status).toBe(200);
    expect((await db().user.findUniqueOrThrow({ where: { email: address } })).name).toBe("Two Lines");
  });

  it("an account cannot take a name the server gives guests, to pass for one of them in presence and dashboards", async () => {
    const guest = await learner();
    for (const name of [guest.handle, guest.handle.toUpperCase(), "member-amber-otter-k3f"]) {
      const answer = await authPost("/sign-up/email", { name, email: email("posing"), password: TEST_PASSWORD });
      expect(answer.status, name).toBe(400);
      expect(answer.text).toMatch(/guest- or member-/);
    }
    // Nor through a magic link's name.
    const link = await authPost("/sign-in/magic-link", { email: email("posing-link"), name: guest.handle });
    expect(link.status).toBe(400);
  });

  it("a guest cannot rename itself (update-user is off)", async () => {
    const guest = await learner();
    const answer = await authPost("/update-user", { name: "The instructor" }, guest.cookie);
    expect(answer.status).toBe(404);
    expect((await db().user.findUniqueOrThrow({ where: { id: guest.id } })).name).toBe(guest.handle);
  });
});

describe("roles", () => {
  it("only an admin gives roles, never admin, never to a guest; an instructor's self-promotion is refused", async () => {
    const [teacher, admin, guest, account] = await Promise.all([
      person({ role: TEACHER }),
      person({ role: ADMIN }),
      person(),
      person({ account: true }),
    ]);
    expect((await refused(teacher.api.admin.setRole({ userId: teacher.id, role: TEACHER }))).code).toBe("FORBIDDEN");
    expect((await refused(teacher.api.admin.users({}))).code).toBe("FORBIDDEN");
    const asAdmin = await callTrpc("admin.setRole", { userId: account.id, role: ADMIN }, { cookie: admin.cookie });
    expect(asAdmin.error?.code).toBe("BAD_REQUEST");
    expect(asAdmin.error?.message).toMatch(/admins are made with the setup token/);
    expect((await refused(admin.api.admin.setRole({ userId: guest.id, role: TEACHER }))).code).toBe("NOT_FOUND");
    expect((await db().user.findUniqueOrThrow({ where: { id: guest.id } })).role).toBe(LEARNER);
    // The admin's search is not a way to list guests (their made-up emails) either.
    const { users } = await admin.api.admin.users({ query: guest.handle });
    expect(users).toEqual([]);
  });
});

describe("classes probed from outside", () => {
  it("another class's id, a made-up id and a non-id are answered alike: nothing tells a class exists", async () => {
    const [teacher, outsider] = await Promise.all([person({ role: TEACHER }), person()]);
    const klass = await classOf(teacher);
    const real = await refused(outsider.api.classes.get({ classId: klass.classId }));
    const made = await refused(outsider.api.classes.get({ classId: randomUUID() }));
    expect(real).toEqual(made);
    expect(real).toEqual({ code: "NOT_FOUND", message: "This class does not exist or is not yours." });
    for (const call of [
      () => outsider.api.grades.classBook({ classId: klass.classId }),
      () => outsider.api.classes.rotateCode({ classId: klass.classId }),
      () => outsider.api.classes.removeLearner({ classId: klass.classId, userId: outsider.id }),
      () => outsider.api.classes.leave({ classId: klass.classId }),
      () => outsider.api.classes.assign({ classId: klass.classId, labSlug: LAB }),
      () => outsider.api.classroom.message({ classId: klass.classId, body: "free pizza" }),
    ])
      expect(await refused(call())).toEqual(made);
    expect((await refused(outsider.api.classes.get({ classId: "' OR 1=1 --" }))).code).toBe("BAD_REQUEST");
  });

  it("a join code read leniently still needs all its 50 bits: near misses, look-alikes and wildcards are wrong codes", async () => {
    const teacher = await person({ role: TEACHER });
    const { joinCode } = await classOf(teacher);
    const flip = (i: number) => joinCode.slice(0, i) + (joinCode[i] === "0" ? "1" : "0") + joinCode.slice(i + 1);
    const tries = [
      flip(9), // one character off
      joinCode.slice(0, 9), // one short
      `${joinCode}0`, // one long
      "%".repeat(10), // a LIKE wildcard
      "__________",
      joinCode.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full-width letters
    ];
    for (const [i, code] of tries.entries()) {
      const guesser = await person();
      const answer = await refused(guesser.api.classes.join({ code }));
      expect(answer.code, `try ${i}: ${code}`).toBe("BAD_REQUEST");
      expect(answer.message).toMatch(/^This join code is not valid or has expired/);
    }
    // The lenient reading is only the documented one: any case, dashes and spaces.
    const learnerInClass = await person();
    const lenient = ` ${joinCode.slice(0, 5).toLowerCase()} - ${joinCode.slice(5)} `;
    expect((await learnerInClass.api.classes.join({ code: lenient })).name).toMatch(/^Attack /);
  });

  it("an expired code is refused exactly like a wrong one (no oracle), and joining one's own class is refused", async () => {
    const teacher = await person({ role: TEACHER });
    const klass = await classOf(teacher);
    await db().class.update({ where: { id: klass.classId }, data: { joinCodeExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await refused((await person()).api.classes.join({ code: klass.joinCode }));
    const wrong = await refused((await person()).api.classes.join({ code: "ZZZZZ-ZZZZZ" }));
    expect(expired).toEqual(wrong);
    await db().class.update({ where: { id: klass.classId }, data: { joinCodeExpiresAt: new Date(Date.now() + 60_000) } });
    expect((await refused(teacher.api.classes.join({ code: klass.joinCode }))).code).toBe("CONFLICT");
  });
});

describe("assignments", () => {
  it("another class's assignment cannot be started or changed, and is answered like one that does not exist", async () => {
    const [teacher, otherTeacher, intruder] = await Promise.all([person({ role: TEACHER }), person({ role: TEACHER }), person()]);
    const klass = await classOf(teacher);
    const other = await classOf(otherTeacher);
    await intruder.api.classes.join({ code: klass.joinCode });
    const foreign = await refused(intruder.api.classes.startAssignment({ assignmentId: other.assignmentId }));
    const none = await refused(intruder.api.classes.startAssignment({ assignmentId: randomUUID() }));
    expect(foreign).toEqual(none);
    expect(foreign.code).toBe("NOT_FOUND");
    expect(
      await refused(teacher.api.classes.updateAssignment({ assignmentId: other.assignmentId, extendAllowed: true })),
    ).toEqual(await refused(teacher.api.classes.updateAssignment({ assignmentId: randomUUID(), extendAllowed: true })));
    expect((await refused(teacher.api.classes.unassign({ assignmentId: other.assignmentId }))).code).toBe("NOT_FOUND");
    // A learner of the class cannot change its assignment either (nor give themselves more time).
    expect(
      (await refused(intruder.api.classes.updateAssignment({ assignmentId: klass.assignmentId, maxExtensionMinutes: 240 }))).code,
    ).toBe("FORBIDDEN");
    expect(await db().labSession.count({ where: { ownerId: intruder.id } })).toBe(0);
  });

  it("a lab that does not exist cannot be assigned, by name or by path", async () => {
    const teacher = await person({ role: TEACHER });
    const { id: classId } = await teacher.api.classes.create({ name: "Paths" });
    for (const labSlug of ["no-such-lab", "../../etc/passwd", "bridge-basics/../two-bridges", "BRIDGE-BASICS"]) {
      const answer = await refused(teacher.api.classes.assign({ classId, labSlug }));
      expect(["BAD_REQUEST", "NOT_FOUND"], `${labSlug}: ${answer.message}`).toContain(answer.code);
    }
    expect(await db().assignment.count({ where: { classId } })).toBe(0);
  });

  it("startAssignment keeps the per-learner limit: three classes' assignments do not make a fourth running lab", async () => {
    const [teacher, keen] = await Promise.all([person({ role: TEACHER }), person()]);
    const classes = await Promise.all([1, 2, 3, 4].map(() => classOf(teacher)));
    for (const k of classes) await keen.api.classes.join({ code: k.joinCode });
    for (const k of classes.slice(0, 3)) await keen.api.classes.startAssignment({ assignmentId: k.assignmentId });
    const fourth = await refused(keen.api.classes.startAssignment({ assignmentId: classes[3]!.assignmentId }));
    expect(fourth.code).toBe("TOO_MANY_REQUESTS");
    // Pressing Start on the same assignment many times at once makes one session, not many.
    const [teacher2, rapid] = await Promise.all([person({ role: TEACHER }), person()]);
    const k2 = await classOf(teacher2);
    await rapid.api.classes.join({ code: k2.joinCode });
    const started = await Promise.allSettled(
      Array.from({ length: 8 }, () => rapid.api.classes.startAssignment({ assignmentId: k2.assignmentId })),
    );
    const ids = new Set(started.flatMap((r) => (r.status === "fulfilled" ? [r.value.id] : [])));
    expect(ids.size).toBe(1);
    expect(await db().labSession.count({ where: { ownerId: rapid.id } })).toBe(1);
  });

  it("a removed learner can neither start the class's lab nor keep being told about its assignments", async () => {
    const [teacher, removed] = await Promise.all([person({ role: TEACHER }), person()]);
    const klass = await classOf(teacher);
    await removed.api.classes.join({ code: klass.joinCode });
    await teacher.api.classes.removeLearner({ classId: klass.classId, userId: removed.id });
    expect((await refused(removed.api.classes.startAssignment({ assignmentId: klass.assignmentId }))).code).toBe("NOT_FOUND");
    expect((await refused(removed.api.classes.get({ classId: klass.classId }))).code).toBe("NOT_FOUND");
    // A learner cannot remove a classmate, nor the instructor.
    const [a, b] = await Promise.all([person(), person()]);
    await a.api.classes.join({ code: klass.joinCode });
    await b.api.classes.join({ code: klass.joinCode });
    expect((await refused(a.api.classes.removeLearner({ classId: klass.classId, userId: b.id }))).code).toBe("FORBIDDEN");
    expect(await db().classMember.count({ where: { classId: klass.classId, userId: b.id } })).toBe(1);
  });
});

describe("grades", () => {
  it("the CSV keeps formula-like display names and class names as text, and is nobody else's", async () => {
    const teacher = await person({ role: TEACHER });
    const { id: classId } = await teacher.api.classes.create({ name: "=1+1 class" });
    await teacher.api.classes.assign({ classId, labSlug: LAB });
    const { joinCode } = await db().class.findUniqueOrThrow({ where: { id: classId } });
    const names = ['=HYPERLINK("http://x.test","ok")', "-2+3", "+1", "@SUM(A1)", '"quoted", name'];
    for (const name of names) await (await person({ account: true, name })).api.classes.join({ code: joinCode });
    const csv = async (cookie?: string) =>
      csvRoute.GET(new Request(`${WEB}/classes/${classId}/gradebook.csv`, { headers: cookie ? { cookie } : {} }), {
        params: Promise.resolve({ classId }),
      });
    const answer = await csv(teacher.cookie);
    expect(answer.status).toBe(200);
    const lines = (await answer.text()).split("\r\n");
    expect(lines.slice(1).every((line) => line === "" || line.startsWith("'=1+1 class,"))).toBe(true);
    const learnerCells = lines.slice(1, -1).map((line) => line.slice("'=1+1 class,".length));
    expect(learnerCells.some((c) => c.startsWith(`"'=HYPERLINK(""http://x.test"",""ok"")"`))).toBe(true);
    for (const start of ["'-2+3,", "'+1,", "'@SUM(A1),", `"""quoted"", name",`])
      expect(
        learnerCells.some((c) => c.startsWith(start)),
        start,
      ).toBe(true);
    // No cell of the file begins a formula.
    for (const line of lines) for (const cell of line.split(",")) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    // A learner of the class and a stranger get no file.
    const member = await person();
    await member.api.classes.join({ code: joinCode });
    expect((await csv(member.cookie)).status).toBe(403);
    expect((await csv((await person({ role: TEACHER })).cookie)).status).toBe(404);
    expect((await csv()).status).toBe(401);
  });

  it("a classmate's submission id is NOT_FOUND, like one that does not exist", async () => {
    const { ana, ben, sessionId } = await classWithAnaRunning();
    const { id } = await db().submission.create({
      data: { sessionId, userId: ana.id, labSlug: LAB, attempt: 1, score: 1, maxScore: 2, results: [] },
    });
    expect(await refused(ben.api.grades.submission({ submissionId: id }))).toEqual(
      await refused(ben.api.grades.submission({ submissionId: randomUUID() })),
    );
    expect((await ana.api.grades.submission({ submissionId: id })).score).toBe(1);
    // Ben's own grades never list Ana's.
    expect(JSON.stringify(await ben.api.grades.mine())).not.toContain(id);
  });
});

describe("the classroom's actions", () => {
  it("help messages: length is bounded, a classmate cannot raise or clear someone else's flag", async () => {
    const { ana, ben, sessionId } = await classWithAnaRunning();
    const long = await refused(ana.api.classroom.raiseHelp({ sessionId, message: "x".repeat(10_000) }));
    expect(long.code).toBe("BAD_REQUEST");
    expect(long.message).toMatch(/at most 280 characters/);
    expect((await refused(ben.api.classroom.raiseHelp({ sessionId }))).code).toBe("NOT_FOUND");
    await ana.api.classroom.raiseHelp({ sessionId, message: "<img src=x onerror=alert(1)>" });
    expect((await refused(ben.api.classroom.clearHelp({ sessionId }))).code).toBe("NOT_FOUND");
    expect((await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).helpRequestedAt).not.toBeNull();
    // Another class's instructor cannot clear it either, nor tell the session exists.
    expect((await refused((await person({ role: TEACHER })).api.classroom.clearHelp({ sessionId }))).code).toBe("NOT_FOUND");
  });

  it("messages go only to the class's own learners, and only from its instructor", async () => {
    const [teacher, otherTeacher, ana, stranger] = await Promise.all([
      person({ role: TEACHER }),
      person({ role: TEACHER }),
      person(),
      person(),
    ]);
    const klass = await classOf(teacher);
    const other = await classOf(otherTeacher);
    await ana.api.classes.join({ code: klass.joinCode });
    await stranger.api.classes.join({ code: other.joinCode });
    // Not to another class's learner, not from a learner, not from another class's instructor.
    expect(
      (await refused(teacher.api.classroom.message({ classId: klass.classId, toUserId: stranger.id, body: "hi" }))).code,
    ).toBe("NOT_FOUND");
    expect((await refused(ana.api.classroom.message({ classId: klass.classId, body: "class dismissed" }))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await refused(otherTeacher.api.classroom.message({ classId: klass.classId, toUserId: ana.id, body: "hi" }))).code,
    ).toBe("NOT_FOUND");
    expect(await db().classMessage.count({ where: { classId: klass.classId } })).toBe(0);
  });

  it("extend pressed many times at once never passes the allowance", async () => {
    const [teacher, ana] = await Promise.all([person({ role: TEACHER }), person()]);
    const klass = await classOf(teacher, { extendAllowed: true, maxExtensionMinutes: 30 });
    await ana.api.classes.join({ code: klass.joinCode });
    const sessionId = await readySession(ana, klass);
    const before = (await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).expiresAt;
    const presses = await Promise.allSettled([
      ...Array.from({ length: 10 }, () => ana.api.classroom.extend({ sessionId })),
      ...Array.from({ length: 10 }, () => teacher.api.classroom.extend({ sessionId })),
    ]);
    expect(presses.filter((p) => p.status === "fulfilled").length).toBe(2);
    const after = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(after.extendedMinutes).toBe(30);
    expect(after.expiresAt.getTime() - before.getTime()).toBe(30 * 60_000);
  });

  it("reset and end: not someone else's session, not a session started alone, not by its learner", async () => {
    const [teacher, otherTeacher, ana] = await Promise.all([person({ role: TEACHER }), person({ role: TEACHER }), person()]);
    const klass = await classOf(teacher);
    await ana.api.classes.join({ code: klass.joinCode });
    const classSession = await readySession(ana, klass);
    const alone = await readySession(ana, null);
    for (const call of [
      () => otherTeacher.api.classroom.reset({ sessionId: classSession }),
      () => otherTeacher.api.classroom.end({ sessionId: classSession }),
      () => teacher.api.classroom.reset({ sessionId: alone }),
      () => teacher.api.classroom.end({ sessionId: alone }),
    ])
      expect((await refused(call())).code).toBe("NOT_FOUND");
    expect((await refused(ana.api.classroom.end({ sessionId: classSession }))).code).toBe("FORBIDDEN");
    expect((await refused(ana.api.classroom.reset({ sessionId: classSession }))).code).toBe("FORBIDDEN");
    const rows = await db().labSession.findMany({ where: { id: { in: [classSession, alone] } } });
    expect(rows.map((r) => r.status)).toEqual([Status.ready, Status.ready]);
  });

  it("a learner asking for a classmate's terminal, in any mode, is told nothing", async () => {
    const { ben, sessionId } = await classWithAnaRunning();
    for (const mode of ["type", "watch", undefined] as const)
      expect((await refused(ben.api.session.terminalToken({ sessionId, terminal: "host", mode }))).code).toBe("NOT_FOUND");
  });
});

describe("a guest's work when they sign up", () => {
  it("two sign-ups racing with one guest's cookie leave all of it with one account, none split or duplicated", async () => {
    const [teacher, guest] = await Promise.all([person({ role: TEACHER }), learner()]);
    const klass = await classOf(teacher);
    await (await callerFor(guest.cookie)).classes.join({ code: klass.joinCode });
    const guestAsPerson = { ...guest, role: LEARNER, guest: true } as Person;
    const sessions = [await readySession(guestAsPerson, klass), await readySession(guestAsPerson, null)];
    const [a, b] = [email("race-a"), email("race-b")];
    await Promise.allSettled([
      authPost("/sign-up/email", { name: "Racer A", email: a, password: TEST_PASSWORD }, guest.cookie),
      authPost("/sign-up/email", { name: "Racer B", email: b, password: TEST_PASSWORD }, guest.cookie),
    ]);
    const owners = new Set((await db().labSession.findMany({ where: { id: { in: sessions } } })).map((s) => s.ownerId));
    expect(owners.size).toBe(1);
    const [owner] = [...owners];
    expect(owner).not.toBe(guest.id);
    expect(await db().classMember.findMany({ where: { classId: klass.classId } })).toMatchObject([{ userId: owner }]);
    expect(await db().user.findUnique({ where: { id: guest.id } })).toBeNull();
    expect((await callTrpc("account.me", {}, { cookie: guest.cookie, method: "GET" })).status).toBe(401);
  });

  it("an account's cookie never takes another user's rows: signing up or in while signed in as an account moves nothing", async () => {
    const [holder, victim] = await Promise.all([person({ account: true, name: "Holder" }), learner()]);
    const victimSession = await readySession({ ...victim, role: LEARNER, guest: true } as Person, null);
    const holderSession = await readySession(holder, null);
    const answer = await authPost(
      "/sign-up/email",
      { name: "Second", email: email("second"), password: TEST_PASSWORD },
      holder.cookie,
    );
    expect(answer.status).toBe(200);
    const rows = await db().labSession.findMany({
      where: { id: { in: [victimSession, holderSession] } },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => r.ownerId)).toEqual([victim.id, holder.id]);
    expect(await db().user.findUnique({ where: { id: holder.id } })).not.toBeNull();
  });
});

describe("text that PostgreSQL cannot store or a screen should not show", () => {
  it("a NUL byte, a control character or a bidi override in a class name, an admin's search or a learner id is refused with its rule (not a server error)", async () => {
    const [teacher, admin] = await Promise.all([person({ role: TEACHER }), person({ role: ADMIN })]);
    for (const name of ["nul\u0000name", "Evil\u202Eeman", "clear\u001b[2J", "two\nlines"]) {
      const answer = await callTrpc("classes.create", { name }, { cookie: teacher.cookie });
      expect(answer.status, `${JSON.stringify(name)}: ${answer.text.slice(0, 200)}`).toBe(400);
      expect(answer.error?.message).toMatch(/class name/i);
    }
    const { id: classId } = await teacher.api.classes.create({ name: "Clean" });
    const remove = await callTrpc("classes.removeLearner", { classId, userId: "x\u0000y" }, { cookie: teacher.cookie });
    expect(remove.status, remove.text.slice(0, 200)).toBe(400);
    const search = await callTrpc("admin.users", { query: "a\u0000b" }, { cookie: admin.cookie, method: "GET" });
    expect(search.status, search.text.slice(0, 200)).toBe(400);
    const page = await callTrpc("admin.users", { cursor: "a\u0000b" }, { cookie: admin.cookie, method: "GET" });
    expect(page.status, page.text.slice(0, 200)).toBe(400);
    const role = await callTrpc("admin.setRole", { userId: "x\u0000y", role: TEACHER }, { cookie: admin.cookie });
    expect(role.status, role.text.slice(0, 200)).toBe(400);
  });
});

describe("help, messages, resets and banners held to their bounds (C3)", () => {
  it("a NUL byte, an escape or a bidi override in a help message, a class message or its recipient is refused with its rule", async () => {
    const { teacher, klass, ana, sessionId } = await classWithAnaRunning();
    for (const message of ["nul\u0000byte", "clear\u001b[2J", "Evil\u202Eeman", "two\nlines"]) {
      const answer = await callTrpc("classroom.raiseHelp", { sessionId, message }, { cookie: ana.cookie });
      expect(answer.status, `${JSON.stringify(message)}: ${answer.text.slice(0, 200)}`).toBe(400);
      expect(answer.error?.message).toMatch(/help message is printable characters on one line/);
    }
    for (const body of ["nul\u0000byte", "clear\u001b[2J", "Evil\u202Eeman", "tab\there"]) {
      const answer = await callTrpc("classroom.message", { classId: klass.classId, body }, { cookie: teacher.cookie });
      expect(answer.status, `${JSON.stringify(body)}: ${answer.text.slice(0, 200)}`).toBe(400);
      expect(answer.error?.message).toMatch(/message is printable characters and line breaks/);
    }
    const to = await callTrpc(
      "classroom.message",
      { classId: klass.classId, toUserId: "x\u0000y", body: "hi" },
      { cookie: teacher.cookie },
    );
    expect(to.status, to.text.slice(0, 200)).toBe(400);
    expect(to.error?.message).toMatch(/toUserId names the learner/);
    expect(await db().classMessage.count({ where: { classId: klass.classId } })).toBe(0);
    // A message keeps its line breaks (a Windows one becomes \n).
    await teacher.api.classroom.message({ classId: klass.classId, body: "Step 1: ping\r\nStep 2: check" });
    expect((await db().classMessage.findFirstOrThrow({ where: { classId: klass.classId } })).body).toBe(
      "Step 1: ping\nStep 2: check",
    );
  });

  it("raising help again as it is writes nothing; changes are limited per session, with when to try again", async () => {
    const { ana, sessionId } = await classWithAnaRunning();
    await ana.api.classroom.raiseHelp({ sessionId, message: "stuck on ping" });
    const raised = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    await Promise.all(Array.from({ length: 30 }, () => ana.api.classroom.raiseHelp({ sessionId, message: "stuck on ping" })));
    const after = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(after.updatedAt).toEqual(raised.updatedAt); // no write, so no NOTIFY to the dashboards
    expect(after.helpRequestedAt).toEqual(raised.helpRequestedAt);
    // 200 different messages at once: the first change was above, so HELP_CHANGES_MAX - 1 more pass.
    const presses = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => ana.api.classroom.raiseHelp({ sessionId, message: `stuck ${i}` })),
    );
    expect(presses.filter((p) => p.status === "fulfilled").length).toBe(HELP_CHANGES_MAX - 1);
    const held = await refused(ana.api.classroom.clearHelp({ sessionId }));
    expect(held.code).toBe("TOO_MANY_REQUESTS");
    expect(held.message).toMatch(/changed 10 times in a minute, the most allowed: try again in (\d+ seconds?|1 minute)\./);
  });

  it("a reset the platform has no room for is refused before anything is torn down: the learner's lab keeps running", async () => {
    const { teacher, ana, sessionId } = await classWithAnaRunning();
    const ctx = await createTRPCContext({ headers: new Headers({ cookie: teacher.cookie }) });
    // Full now (Ana's lab holds the 2 containers the cap allows), not a lab that could never fit (refused apart).
    const full = createCaller({ ...ctx, env: { ...ctx.env, MAX_ACTIVE_CONTAINERS: 2 } });
    const answer = await refused(full.classroom.reset({ sessionId }));
    expect(answer.code).toBe("SERVICE_UNAVAILABLE");
    expect(answer.message).toMatch(/^The platform is full: .* The learner's lab was not reset and keeps running\.$/);
    expect(await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      status: Status.ready,
      endReason: null,
      resetToId: null,
    });
    expect(await db().labSession.count({ where: { ownerId: ana.id } })).toBe(1);
    const fewSessions = createCaller({ ...ctx, env: { ...ctx.env, MAX_ACTIVE_SESSIONS: 1 } });
    expect((await refused(fewSessions.classroom.reset({ sessionId }))).code).toBe("SERVICE_UNAVAILABLE");
    expect(await db().labSession.count({ where: { ownerId: ana.id } })).toBe(1);
  });

  it("banners reach only their recipients: not someone the learner invited, nor another class's learner", async () => {
    const { teacher, klass, ana, ben, sessionId } = await classWithAnaRunning();
    const [otherTeacher, stranger] = await Promise.all([person({ role: TEACHER }), person()]);
    await stranger.api.classes.join({ code: (await classOf(otherTeacher)).joinCode });
    // Ana invites a stranger (another class's learner) and her classmate Ben to her session.
    await db().sessionMember.createMany({
      data: [
        { sessionId, userId: stranger.id, role: "VIEWER" },
        { sessionId, userId: ben.id, role: "DRIVER" },
      ],
    });
    await teacher.api.classroom.message({ classId: klass.classId, toUserId: ana.id, body: "Ana, your grade is at risk" });
    await teacher.api.classroom.message({ classId: klass.classId, body: "Ten minutes left" });
    const session = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    const bodies = async (who: { id: string }) => (await readBanners(db(), session, who.id)).map((b) => [b.body, b.toYou]);
    expect(await bodies(ana)).toEqual([
      ["Ana, your grade is at risk", true],
      ["Ten minutes left", false],
    ]);
    expect(await bodies(stranger)).toEqual([]);
    expect(await bodies(ben)).toEqual([["Ten minutes left", false]]);
    expect(await bodies(teacher)).toEqual([["Ten minutes left", false]]);
    expect(await bodies(otherTeacher)).toEqual([]);
    // The session page itself answers the invited stranger with none of them.
    for await (const event of await (await callerFor(stranger.cookie)).live.session({ sessionId })) {
      if (event.type !== "banners") continue;
      expect(event.banners).toEqual([]);
      break;
    }
  });
});

describe("an instructor signing in from a guest's browser", () => {
  it("does not become a learner of their own class (nor appear in its gradebook)", async () => {
    const teacher = await person({ role: TEACHER, name: "Prof Turing" });
    const klass = await classOf(teacher);
    const guest = await learner();
    await (await callerFor(guest.cookie)).classes.join({ code: klass.joinCode });
    const address = (await db().user.findUniqueOrThrow({ where: { id: teacher.id } })).email;
    expect((await authPost("/sign-in/email", { email: address, password: TEST_PASSWORD }, guest.cookie)).status).toBe(200);
    expect(await db().classMember.count({ where: { classId: klass.classId, userId: teacher.id } })).toBe(0);
    expect((await teacher.api.grades.classBook({ classId: klass.classId })).learners).toEqual([]);
    expect(await db().user.findUnique({ where: { id: guest.id } })).toBeNull();
  });
});

// Last: it fills the platform's bucket of wrong join codes for the rest of this file's process.
describe("joining while strangers guess", () => {
  it("300 wrong codes from fresh guests do not lock every learner out of every class", async () => {
    const teacher = await person({ role: TEACHER });
    const { joinCode } = await classOf(teacher);
    const guessers = await Promise.all(Array.from({ length: 30 }, () => person()));
    await Promise.all(
      guessers.map(async (g, n) => {
        for (let i = 0; i < 10; i++)
          expect(
            (await refused(g.api.classes.join({ code: `ZZZZZ-${String(n).padStart(2, "0")}Z${String(i).padStart(2, "0")}` })))
              .code,
          ).toBe("BAD_REQUEST");
      }),
    );
    // A learner typing the right code for the first time gets in.
    const learnerInClass = await person();
    expect((await learnerInClass.api.classes.join({ code: joinCode })).name).toMatch(/^Attack /);
    // A guesser's further tries are held, the right code included; so is a newcomer once they guessed wrong.
    expect((await refused(guessers[0]!.api.classes.join({ code: joinCode }))).code).toBe("TOO_MANY_REQUESTS");
    const newcomer = await person();
    expect((await refused(newcomer.api.classes.join({ code: "ZZZZZ-YYYYY" }))).code).toBe("BAD_REQUEST");
    expect((await refused(newcomer.api.classes.join({ code: "ZZZZZ-YYYYX" }))).code).toBe("TOO_MANY_REQUESTS");
  });
});
