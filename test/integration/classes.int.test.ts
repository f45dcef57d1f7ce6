// Classes through tRPC with real cookies: creating, joining with a code (wrong, expired, rotated,
// duplicate, rate-limited), assigning labs (missing, duplicate, past due, limits), starting an
// assignment (the class's fields and time limit on the row, a live one reused), and who may do
// what: a class's learners, another class's learner and instructor (NOT_FOUND), an admin.
// No worker runs: a started session stays queued, which is all these tests read.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, TEACHER } from "~/protocol/accountRoles";
import { Status } from "~/protocol/sessionStatus";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { callTrpc, db } from "../support/harness";
import { person, type Person } from "../support/people";
import { refused } from "../support/refused";

const LAB = "bridge-basics";

// A proxy in front of the web names the client's address in this header (read when the web's settings are first read).
process.env.TRUSTED_CLIENT_IP_HEADER = "x-real-ip";

/** The person's calls as if sent through the proxy from this address. */
async function from(who: Person, address: string) {
  return createCaller(await createTRPCContext({ headers: new Headers({ cookie: who.cookie, "x-real-ip": address }) }));
}

let instructor: Person, otherInstructor: Person, admin: Person, learner: Person, otherLearner: Person;
let classId: string, otherClassId: string;

beforeAll(async () => {
  [instructor, otherInstructor, admin, learner, otherLearner] = await Promise.all([
    person({ role: TEACHER }),
    person({ role: TEACHER }),
    person({ role: ADMIN }),
    person(),
    person(),
  ]);
  classId = (await instructor.api.classes.create({ name: "Networks 101" })).id;
  otherClassId = (await otherInstructor.api.classes.create({ name: "Networks 102", codeDays: 3 })).id;
  const other = await otherInstructor.api.classes.get({ classId: otherClassId });
  if (other.access !== "teacher") throw new Error("the instructor does not teach their class");
  await otherLearner.api.classes.join({ code: other.joinCode });
});

async function teacherView(who: Person = instructor, id = classId) {
  const view = await who.api.classes.get({ classId: id });
  if (view.access !== "teacher") throw new Error(`${who.handle} sees the learner's view`);
  return view;
}

describe("creating a class", () => {
  it("is for instructors and admins, with a join code that expires after the days asked (14 by default)", async () => {
    const view = await teacherView();
    expect(view.name).toBe("Networks 101");
    expect(view.joinCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const days = (view.joinCodeExpiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const other = await teacherView(otherInstructor, otherClassId);
    expect((other.joinCodeExpiresAt.getTime() - Date.now()) / 86_400_000).toBeCloseTo(3, 1);

    expect(await refused(learner.api.classes.create({ name: "Mine" }))).toEqual({
      code: "FORBIDDEN",
      message: "Only instructors can do this. Ask an admin of this platform to make you one.",
    });
    expect((await admin.api.classes.create({ name: "Admin's class" })).id).toMatch(/-/);
    expect((await refused(instructor.api.classes.create({ name: "   " }))).code).toBe("BAD_REQUEST");
    expect((await refused(instructor.api.classes.create({ name: "x", codeDays: 91 }))).message).toMatch(
      /codeDays \(how many days the join code works\) must be a whole number from 1 to 90/,
    );
  });
});

describe("joining", () => {
  it("takes the code in any case, without its dash; the instructor then sees the learner's display name", async () => {
    const { joinCode } = await teacherView();
    const joined = await learner.api.classes.join({ code: ` ${joinCode.replace("-", "").toLowerCase()} ` });
    expect(joined).toEqual({ classId, name: "Networks 101" });
    const { roster } = await teacherView();
    expect(roster.map((r) => [r.userId, r.name, r.guest])).toEqual([[learner.id, learner.handle, true]]);

    const mine = await learner.api.classes.get({ classId });
    expect(mine.access).toBe("learner");
    expect(mine).not.toHaveProperty("joinCode");
    expect(mine).not.toHaveProperty("roster");
  });

  it("a second time is a clear conflict, not a crash", async () => {
    const { joinCode } = await teacherView();
    expect(await refused(learner.api.classes.join({ code: joinCode }))).toEqual({
      code: "CONFLICT",
      message: "You are already in Networks 101.",
    });
  });

  it("refuses a wrong, a malformed and an expired code with one actionable message", async () => {
    const expected = {
      code: "BAD_REQUEST",
      message: "This join code is not valid or has expired. Check it with your instructor: codes look like ABCDE-FGHJK.",
    };
    const newcomer = await person();
    expect(await refused(newcomer.api.classes.join({ code: "ZZZZZ-ZZZZZ" }))).toEqual(expected);
    expect(await refused(newcomer.api.classes.join({ code: "hello" }))).toEqual(expected);

    const expiring = await instructor.api.classes.create({ name: "Expiring" });
    const { joinCode } = await teacherView(instructor, expiring.id);
    await db().class.update({ where: { id: expiring.id }, data: { joinCodeExpiresAt: new Date(Date.now() - 1000) } });
    expect(await refused(newcomer.api.classes.join({ code: joinCode }))).toEqual(expected);
    expect((await teacherView(instructor, expiring.id)).joinCodeExpired).toBe(true);

    // Through the real route, as a browser: a 400 with the message.
    const answer = await callTrpc("classes.join", { code: "ZZZZZ-ZZZZZ" }, { cookie: newcomer.cookie });
    expect(answer.status).toBe(400);
    expect(answer.error?.message).toBe(expected.message);
  });

  it("after rotation, refuses the old code at once and takes the new one", async () => {
    const rotating = await instructor.api.classes.create({ name: "Rotating" });
    const before = await teacherView(instructor, rotating.id);
    const rotated = await instructor.api.classes.rotateCode({ classId: rotating.id, codeDays: 1 });
    expect(rotated.joinCode).not.toBe(before.joinCode);
    expect((rotated.joinCodeExpiresAt.getTime() - Date.now()) / 86_400_000).toBeCloseTo(1, 1);
    const newcomer = await person();
    expect((await refused(newcomer.api.classes.join({ code: before.joinCode }))).code).toBe("BAD_REQUEST");
    expect(await newcomer.api.classes.join({ code: rotated.joinCode })).toEqual({ classId: rotating.id, name: "Rotating" });
  });

  it("is limited per user: after 10 wrong codes even the right one waits, and the message says how long", async () => {
    const guesser = await person();
    for (let i = 0; i < 10; i++)
      expect((await refused(guesser.api.classes.join({ code: `ZZZZZ-ZZZ${String(i).padStart(2, "0")}` }))).code).toBe(
        "BAD_REQUEST",
      );
    const { joinCode } = await teacherView();
    const limited = await refused(guesser.api.classes.join({ code: joinCode }));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    const seconds = Number(/^Too many join attempts\. Try again in (\d+) seconds\.$/.exec(limited.message)?.[1]);
    expect(seconds).toBeGreaterThan(500);
    expect(seconds).toBeLessThanOrEqual(600);
    // Someone else still joins (a request naming no address counts in the platform's bucket, which holds far more).
    const other = await person();
    expect((await other.api.classes.join({ code: joinCode })).classId).toBe(classId);
  });

  it("is limited per client address when a trusted proxy names it: 30 wrong codes from one address stop everyone behind it", async () => {
    const { joinCode } = await teacherView();
    const [a, b, c, d, elsewhere] = await Promise.all([person(), person(), person(), person(), person()]);
    for (const who of [a, b, c]) {
      const api = await from(who, "10.9.9.9");
      for (let i = 0; i < 10; i++)
        expect((await refused(api.classes.join({ code: `YYYYY-YYY${String(i).padStart(2, "0")}` }))).code).toBe("BAD_REQUEST");
    }
    const limited = await refused((await from(d, "10.9.9.9")).classes.join({ code: joinCode }));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/^Too many join attempts\. Try again in \d+ seconds\.$/);
    expect((await (await from(elsewhere, "10.9.9.10")).classes.join({ code: joinCode })).classId).toBe(classId);
  });
});

describe("who may see and change a class", () => {
  it("answers NOT_FOUND to another class's learner and instructor, FORBIDDEN to its own learners, and lets an admin in", async () => {
    const notFound = { code: "NOT_FOUND", message: "This class does not exist or is not yours." };
    expect(await refused(otherLearner.api.classes.get({ classId }))).toEqual(notFound);
    expect(await refused(otherInstructor.api.classes.get({ classId }))).toEqual(notFound);
    expect(await refused(otherInstructor.api.classes.rotateCode({ classId }))).toEqual(notFound);
    expect(await refused(otherInstructor.api.classes.assign({ classId, labSlug: LAB }))).toEqual(notFound);
    expect(await refused(otherInstructor.api.classes.removeLearner({ classId, userId: learner.id }))).toEqual(notFound);
    expect(await refused(learner.api.classes.rotateCode({ classId }))).toEqual({
      code: "FORBIDDEN",
      message: "Only the class's instructor can do this.",
    });
    expect((await refused(learner.api.classes.assign({ classId, labSlug: LAB }))).code).toBe("FORBIDDEN");
    expect((await teacherView(admin)).name).toBe("Networks 101");

    const lists = {
      instructor: await instructor.api.classes.list(),
      admin: await admin.api.classes.list(),
      learner: await learner.api.classes.list(),
    };
    expect(lists.instructor.teaching.map((c) => c.name)).toContain("Networks 101");
    expect(lists.instructor.teaching.map((c) => c.name)).not.toContain("Networks 102");
    expect(lists.admin.teaching.map((c) => c.name)).toEqual(expect.arrayContaining(["Networks 101", "Networks 102"]));
    expect(lists.learner).toMatchObject({ teaching: [], learning: [{ id: classId, name: "Networks 101" }] });
  });
});

describe("assignments", () => {
  let assignmentId: string;

  it("assigns a lab once, with its limits; refuses a missing lab, a past due date and limits out of range", async () => {
    const dueAt = new Date(Date.now() + 7 * 86_400_000);
    const assigned = await instructor.api.classes.assign({
      classId,
      labSlug: LAB,
      dueAt,
      timeLimitMinutes: 45,
      extendAllowed: true,
      maxExtensionMinutes: 15,
    });
    assignmentId = assigned.id;
    expect(assigned).toMatchObject({ labSlug: LAB, labTitle: "Bridge basics", dueAt, timeLimitMinutes: 45, extendAllowed: true });

    const missing = await refused(instructor.api.classes.assign({ classId, labSlug: "nope" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toMatch(/^There is no lab called nope\. Available labs: .*bridge-basics/);
    expect(await refused(instructor.api.classes.assign({ classId, labSlug: LAB }))).toEqual({
      code: "CONFLICT",
      message: "Bridge basics is already assigned to Networks 101: change that assignment instead.",
    });
    const past = await refused(
      instructor.api.classes.assign({ classId, labSlug: "joined", dueAt: new Date(Date.now() - 3_600_000) }),
    );
    expect(past.code).toBe("BAD_REQUEST");
    expect(past.message).toMatch(/is in the past: choose a later date and time, or leave it empty for no due date\.$/);
    expect((await refused(instructor.api.classes.assign({ classId, labSlug: "joined", timeLimitMinutes: 4 }))).message).toMatch(
      /timeLimitMinutes must be a whole number from 5 to 480/,
    );
    expect(
      (await refused(instructor.api.classes.assign({ classId, labSlug: "joined", maxExtensionMinutes: 241 }))).message,
    ).toMatch(/maxExtensionMinutes must be a whole number from 0 to 240/);

    const updated = await instructor.api.classes.updateAssignment({ assignmentId, timeLimitMinutes: 30, dueAt: null });
    expect(updated).toMatchObject({ timeLimitMinutes: 30, dueAt: null, extendAllowed: true, maxExtensionMinutes: 15 });
    expect((await refused(learner.api.classes.updateAssignment({ assignmentId, extendAllowed: false }))).code).toBe("FORBIDDEN");
    expect((await refused(otherInstructor.api.classes.updateAssignment({ assignmentId, extendAllowed: false }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("starts an assignment for a learner of the class with its class, assignment and time limit, and reuses it", async () => {
    const started = await learner.api.classes.startAssignment({ assignmentId });
    const row = await db().labSession.findUniqueOrThrow({ where: { id: started.id } });
    expect(row).toMatchObject({ ownerId: learner.id, labSlug: LAB, classId, assignmentId, status: Status.queued });
    const minutes = (row.expiresAt.getTime() - row.createdAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 0);

    expect((await learner.api.classes.startAssignment({ assignmentId })).id).toBe(started.id);
    const [again1, again2] = await Promise.all([
      learner.api.classes.startAssignment({ assignmentId }),
      learner.api.classes.startAssignment({ assignmentId }),
    ]);
    expect([again1.id, again2.id]).toEqual([started.id, started.id]);
    expect(await db().labSession.count({ where: { assignmentId } })).toBe(1);

    const listed = await learner.api.classes.list();
    expect(listed.learning[0]!.assignments[0]).toMatchObject({ id: assignmentId, runningSessionId: started.id });

    expect((await refused(otherLearner.api.classes.startAssignment({ assignmentId }))).code).toBe("NOT_FOUND");
    expect((await refused(otherInstructor.api.classes.startAssignment({ assignmentId }))).code).toBe("NOT_FOUND");
    expect((await refused(instructor.api.classes.startAssignment({ assignmentId }))).message).toMatch(
      /^Only the learners of Networks 101 start its assignments/,
    );
  });

  it("unassigns a lab nobody submitted, keeps one with submissions", async () => {
    const spare = await instructor.api.classes.assign({ classId, labSlug: "joined" });
    expect(await instructor.api.classes.unassign({ assignmentId: spare.id })).toEqual({ removed: true });
    expect(await db().assignment.count({ where: { id: spare.id } })).toBe(0);

    const session = await db().labSession.findFirstOrThrow({ where: { assignmentId } });
    await db().submission.create({
      data: { sessionId: session.id, userId: learner.id, labSlug: LAB, attempt: 1, score: 1, maxScore: 6, results: [] },
    });
    const kept = await refused(instructor.api.classes.unassign({ assignmentId }));
    expect(kept.code).toBe("CONFLICT");
    expect(kept.message).toMatch(/^Bridge basics has 1 submission: it stays assigned/);
  });

  it("removes a learner, who can then neither see the class nor start its labs", async () => {
    const leaving = await person();
    const { joinCode } = await teacherView();
    await leaving.api.classes.join({ code: joinCode });
    expect(await instructor.api.classes.removeLearner({ classId, userId: leaving.id })).toEqual({ removed: true });
    expect((await refused(leaving.api.classes.get({ classId }))).code).toBe("NOT_FOUND");
    expect((await refused(leaving.api.classes.startAssignment({ assignmentId }))).code).toBe("NOT_FOUND");
    expect((await refused(instructor.api.classes.removeLearner({ classId, userId: leaving.id }))).code).toBe("NOT_FOUND");

    const quitter = await person();
    await quitter.api.classes.join({ code: joinCode });
    expect(await quitter.api.classes.leave({ classId })).toEqual({ left: true });
    expect((await quitter.api.classes.list()).learning).toEqual([]);
    expect((await refused(instructor.api.classes.leave({ classId }))).code).toBe("BAD_REQUEST");
  });
});
