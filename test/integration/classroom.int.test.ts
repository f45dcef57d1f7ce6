// The classroom through tRPC with real cookies and a real PostgreSQL (no worker: sessions are
// written READY the way a worker leaves them, which is all these procedures read): the
// instructor's live dashboard (a help flag, a check result and activity arrive within a deadline,
// and only the changed sessions' rows are re-sent), who is refused it, extend's rules and words,
// reset and end, and class messages reaching only their recipients' banners.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordActivity } from "~/core/classroom/activity";
import { NOTHING_TO_RESET } from "~/core/classroom/resetSession";
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { newJoinCode } from "~/core/classes/joinCode";
import { newSessionParams } from "~/core/sessions/sessionParams";
import { ADMIN, TEACHER } from "~/protocol/accountRoles";
import { EndReason } from "~/protocol/sessionEnd";
import { Status } from "~/protocol/sessionStatus";
import type { DashboardRow } from "~/core/classroom/dashboardRow";
import { createCaller } from "~/server/api/root";
import type { LiveClassEvent, LiveSessionEvent } from "~/server/api/routers/live";
import { createTRPCContext } from "~/server/api/trpc";
import { db } from "../support/harness";
import { until } from "../support/live";
import { person, type Person } from "../support/people";
import { refused } from "../support/refused";

const LAB = "bridge-basics";
const DEADLINE_MS = 10_000;

let instructor: Person, otherInstructor: Person, admin: Person, ana: Person, ben: Person, outsider: Person;
let classId: string, otherClassId: string, extendable: string, fixed: string;
/** Ends every subscription this file opened (a generator parked in a read cannot be returned, only aborted). */
const streams = new AbortController();

async function makeClass(teacher: Person, name: string): Promise<string> {
  const expires = new Date(Date.now() + 14 * 86_400_000);
  return (
    await db().class.create({ data: { name, instructorId: teacher.id, joinCode: newJoinCode(), joinCodeExpiresAt: expires } })
  ).id;
}

/** A class session of the learner for the assignment, READY as a worker leaves it. */
async function readySession(owner: Person, assignmentId: string, klass = classId): Promise<string> {
  const lab = findLab(LAB)!;
  const row = await db().labSession.create({
    data: {
      labSlug: LAB,
      ...sessionLabColumns(lab),
      ownerId: owner.id,
      status: Status.ready,
      expiresAt: new Date(Date.now() + 60 * 60_000),
      params: newSessionParams(),
      classId: klass,
      assignmentId,
    },
  });
  return row.id;
}

/** The person's caller with this file's abort signal, as the route gives a subscription its request's signal. */
async function withSignal(who: Person) {
  return createCaller(await createTRPCContext({ headers: new Headers({ cookie: who.cookie }) }), { signal: streams.signal });
}

async function liveClass(who: Person, id = classId): Promise<AsyncIterator<LiveClassEvent>> {
  return (await (await withSignal(who)).live.class({ classId: id }))[Symbol.asyncIterator]();
}

async function liveSession(who: Person, sessionId: string): Promise<AsyncIterator<LiveSessionEvent>> {
  return (await (await withSignal(who)).live.session({ sessionId }))[Symbol.asyncIterator]();
}

/** The session's row once `shows` holds, from the whole table or from a re-read of rows. */
const rowShowing =
  (sessionId: string, shows: (row: DashboardRow) => boolean) =>
  (e: LiveClassEvent): DashboardRow | undefined =>
    e.rows.find((r) => r.session?.sessionId === sessionId && shows(r));

/** The next re-read of rows (not a whole table). */
const rowsEvent = (e: LiveClassEvent) => (e.type === "rows" ? e.rows : undefined);

beforeAll(async () => {
  [instructor, otherInstructor, admin, ana, ben, outsider] = await Promise.all([
    person({ role: TEACHER }),
    person({ role: TEACHER }),
    person({ role: ADMIN }),
    person(),
    person({ account: true }),
    person(),
  ]);
  [classId, otherClassId] = await Promise.all([
    makeClass(instructor, "Networks 101"),
    makeClass(otherInstructor, "Networks 102"),
  ]);
  extendable = (await db().assignment.create({ data: { classId, labSlug: LAB, extendAllowed: true, maxExtensionMinutes: 30 } }))
    .id;
  fixed = (await db().assignment.create({ data: { classId, labSlug: "two-bridges", extendAllowed: false } })).id;
  await db().classMember.createMany({
    data: [
      { classId, userId: ana.id },
      { classId, userId: ben.id },
      { classId: otherClassId, userId: outsider.id },
    ],
  });
});

afterAll(() => streams.abort());

describe("the live dashboard", () => {
  it("sends the table, then a help flag, a check result and activity within the deadline, re-sending only the changed session's row", async () => {
    const anaSession = await readySession(ana, extendable);
    const benSession = await readySession(ben, extendable);
    const live = await liveClass(instructor);
    const table = await until(live, "the table", (e) => (e.type === "table" ? e : undefined), DEADLINE_MS);
    expect(table.className).toBe("Networks 101");
    // 2 learners × 2 assignments; ben's name is shown, never needed as an id.
    expect(table.rows).toHaveLength(4);
    const anaRow = table.rows.find((r) => r.learnerId === ana.id && r.assignmentId === extendable)!;
    expect(anaRow).toMatchObject({
      learnerName: ana.handle,
      session: { sessionId: anaSession, status: Status.ready, help: null },
    });
    expect(anaRow.session!.checksTotal).toBeGreaterThan(0);
    expect(table.rows.find((r) => r.learnerId === ana.id && r.assignmentId === fixed)!.session).toBeNull(); // not started

    // The first change may come as a whole table: the process's LISTEN connection asks every
    // subscriber to re-read once it is listening. Once a change has arrived, it is listening.
    await ana.api.classroom.raiseHelp({ sessionId: anaSession, message: "ping says unreachable" });
    const helped = await until(
      live,
      "ana's help flag",
      rowShowing(anaSession, (r) => r.session!.help !== null),
      DEADLINE_MS,
    );
    expect(helped.session!.help).toMatchObject({ message: "ping says unreachable" });

    // From now on each change re-reads only its session's row.
    const step = findLab(LAB)!.steps[0]!;
    await db().checkResult.create({
      data: {
        sessionId: benSession,
        checkId: step.checks[0]!.id,
        stepId: step.id,
        passed: true,
        everPassed: true,
        message: "ok",
      },
    });
    const checked = await until(live, "ben's check result", rowsEvent, DEADLINE_MS);
    expect(checked.map((r) => r.session?.sessionId)).toEqual([benSession]);
    expect(checked[0]!.session!.checksPassed).toBe(1);

    expect(await recordActivity(db(), anaSession)).toBe(true);
    expect(await recordActivity(db(), anaSession)).toBe(false); // within 15 s: not written again
    const active = await until(live, "ana's activity", rowsEvent, DEADLINE_MS);
    expect(active.map((r) => r.session?.sessionId)).toEqual([anaSession]);
    expect(active[0]!.session!.lastActivityAt).toBeInstanceOf(Date);

    await instructor.api.classroom.clearHelp({ sessionId: anaSession });
    const cleared = await until(live, "ana's help cleared", rowsEvent, DEADLINE_MS);
    expect(cleared.map((r) => [r.session?.sessionId, r.session?.help])).toEqual([[anaSession, null]]);

    // A roster change re-sends the whole table.
    await db().classMember.create({ data: { classId, userId: admin.id } });
    const again = await until(live, "the table after a join", (e) => (e.type === "table" ? e : undefined), DEADLINE_MS);
    expect(again.rows).toHaveLength(6);
    await db().classMember.delete({ where: { classId_userId: { classId, userId: admin.id } } });
  });

  it("re-reads a changed row as the whole table shows it (checks, the best of several submissions, the step); a class change re-checks access", async () => {
    const klass = await makeClass(instructor, "Networks 103");
    const assignment = (await db().assignment.create({ data: { classId: klass, labSlug: LAB } })).id;
    await db().classMember.create({ data: { classId: klass, userId: ben.id } });
    const sessionId = await readySession(ben, assignment, klass);
    const live = await liveClass(instructor, klass);
    await until(live, "the table", (e) => (e.type === "table" ? e : undefined), DEADLINE_MS);

    const step = findLab(LAB)!.steps[0]!;
    await db().checkResult.createMany({
      data: step.checks.map((c) => ({
        sessionId,
        checkId: c.id,
        stepId: step.id,
        passed: true,
        everPassed: true,
        message: "ok",
      })),
    });
    const submission = { sessionId, userId: ben.id, labSlug: LAB, results: [] };
    await db().submission.createMany({
      data: [
        { ...submission, attempt: 1, score: 3, maxScore: 6 },
        { ...submission, attempt: 2, score: 5, maxScore: 6 },
        { ...submission, attempt: 3, score: 4, maxScore: 6 },
      ],
    });
    const changed = await until(
      live,
      "ben's checks and best score",
      rowShowing(sessionId, (r) => r.session!.best?.score === 5 && r.session!.checksPassed === step.checks.length),
      DEADLINE_MS,
    );
    expect(changed.session).toMatchObject({ best: { score: 5, maxScore: 6 }, currentStep: { id: findLab(LAB)!.steps[1]!.id } });
    // Times read as Prisma reads them (UTC), not shifted by the server's time zone.
    const stored = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(changed.session!.expiresAt).toEqual(stored.expiresAt);
    // A new dashboard's whole table shows the same row.
    const fresh = await until(await liveClass(instructor, klass), "a new table", (e) => (e.type === "table" ? e : undefined));
    expect(fresh.rows).toEqual([changed]);

    // The class is given to another instructor: at that change, this one's stream ends, refused.
    await db().class.update({ where: { id: klass }, data: { instructorId: otherInstructor.id } });
    expect(await refused(until(live, "the refusal", () => undefined, DEADLINE_MS))).toEqual({
      code: "NOT_FOUND",
      message: "This class does not exist or is not yours.",
    });
  });

  it("is refused to another class's instructor and to anyone outside (NOT_FOUND), and to the class's learners; an admin may watch", async () => {
    for (const who of [otherInstructor, outsider])
      expect(await refused(liveClass(who))).toEqual({ code: "NOT_FOUND", message: "This class does not exist or is not yours." });
    expect((await refused(liveClass(ana))).code).toBe("FORBIDDEN");
    const live = await liveClass(admin);
    expect((await until(live, "the admin's table", (e) => (e.type === "table" ? e : undefined), DEADLINE_MS)).rows.length).toBe(
      4,
    );
  });
});

describe("help", () => {
  it("only the learner raises it; the learner or the instructor clears it; outsiders cannot tell the session exists", async () => {
    const sessionId = await readySession(ana, fixed);
    expect((await refused(instructor.api.classroom.raiseHelp({ sessionId }))).code).toBe("FORBIDDEN");
    expect((await refused(otherInstructor.api.classroom.raiseHelp({ sessionId }))).code).toBe("NOT_FOUND");
    expect((await refused(ben.api.classroom.clearHelp({ sessionId }))).code).toBe("NOT_FOUND");
    expect((await refused(ana.api.classroom.raiseHelp({ sessionId, message: "x".repeat(281) }))).message).toMatch(
      /at most 280 characters/,
    );
    const view = await ana.api.classroom.raiseHelp({ sessionId, message: "  stuck  " });
    expect(view.help).toMatchObject({ message: "stuck" });
    expect((await ana.api.classroom.clearHelp({ sessionId })).help).toBeNull();
  });
});

describe("extend", () => {
  it("+15 a press for the learner when allowed, never past the allowance, with the class's words", async () => {
    const sessionId = await readySession(ana, extendable);
    const before = (await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).expiresAt.getTime();
    const first = await ana.api.classroom.extend({ sessionId });
    expect(first.expiresAt.getTime() - before).toBe(15 * 60_000);
    expect(first.classroom).toMatchObject({ className: "Networks 101", extendedMinutes: 15, maxExtensionMinutes: 30 });
    expect(first.canExtend).toBe(true);
    const second = await instructor.api.classroom.extend({ sessionId });
    expect(second.expiresAt.getTime() - before).toBe(30 * 60_000);
    expect(second.canExtend).toBe(false);
    expect(await refused(ana.api.classroom.extend({ sessionId }))).toEqual({
      code: "CONFLICT",
      message: "This session has already been extended by 30 minutes, the most this class allows.",
    });
  });

  it("the learner is refused when the assignment does not allow it, the instructor is not; a stopped session and outsiders are refused", async () => {
    const sessionId = await readySession(ben, fixed);
    expect(await refused(ben.api.classroom.extend({ sessionId }))).toEqual({
      code: "FORBIDDEN",
      message: "This assignment does not let learners extend their time: ask your instructor.",
    });
    expect((await instructor.api.classroom.extend({ sessionId })).classroom?.extendedMinutes).toBe(15);
    expect((await refused(otherInstructor.api.classroom.extend({ sessionId }))).code).toBe("NOT_FOUND");
    await db().labSession.update({ where: { id: sessionId }, data: { status: Status.stopped } });
    expect((await refused(instructor.api.classroom.extend({ sessionId }))).message).toBe(
      "This session is not running, so its time cannot be extended.",
    );
  });
});

describe("reset and end", () => {
  it("reset of a stopped session is refused with its message; of a running one stops it (reset) and starts a fresh one it points to", async () => {
    const stopped = await readySession(ana, fixed);
    await db().labSession.update({ where: { id: stopped }, data: { status: Status.stopped } });
    expect(await refused(instructor.api.classroom.reset({ sessionId: stopped }))).toEqual({
      code: "CONFLICT",
      message: NOTHING_TO_RESET,
    });

    // A learner has one live session per assignment (startAssignment reuses it): end the earlier tests' ones.
    await db().labSession.updateMany({ where: { ownerId: ana.id, assignmentId: fixed }, data: { status: Status.stopped } });
    const running = await readySession(ana, fixed);
    expect((await refused(ana.api.classroom.reset({ sessionId: running }))).code).toBe("FORBIDDEN");
    expect((await refused(otherInstructor.api.classroom.reset({ sessionId: running }))).code).toBe("NOT_FOUND");
    const { resetToId } = await instructor.api.classroom.reset({ sessionId: running });
    const [old, fresh] = await Promise.all([
      db().labSession.findUniqueOrThrow({ where: { id: running } }),
      db().labSession.findUniqueOrThrow({ where: { id: resetToId } }),
    ]);
    expect(old).toMatchObject({ status: Status.stopping, endReason: EndReason.reset, resetToId });
    expect(fresh).toMatchObject({ ownerId: ana.id, classId, assignmentId: fixed, status: Status.queued });
    await db().labSession.update({ where: { id: running }, data: { status: Status.stopped } });
    const view = await ana.api.session.get({ sessionId: running });
    expect(view.statusReason).toBe("Your instructor reset this lab: a fresh session has started.");
    expect(view.resetToId).toBe(resetToId);
  });

  it("end stops the session with endReason instructor, and the learner reads who ended it", async () => {
    const sessionId = await readySession(ben, extendable);
    expect((await refused(ben.api.classroom.end({ sessionId }))).code).toBe("FORBIDDEN");
    expect((await instructor.api.classroom.end({ sessionId })).status).toBe(Status.stopping);
    await db().labSession.update({ where: { id: sessionId }, data: { status: Status.stopped } });
    expect(await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      endReason: EndReason.instructor,
    });
    expect((await ben.api.session.get({ sessionId })).statusReason).toBe("Your instructor ended this session.");
  });
});

describe("messages", () => {
  it("a message to one learner reaches only their banners; one to the class reaches every learner's", async () => {
    const [anaSession, benSession] = [await readySession(ana, extendable), await readySession(ben, extendable)];
    const [anaLive, benLive] = [await liveSession(ana, anaSession), await liveSession(ben, benSession)];
    const bannersOf = (e: LiveSessionEvent) => (e.type === "banners" ? e.banners : undefined);
    expect(await until(anaLive, "ana's first banners", bannersOf, DEADLINE_MS)).toEqual([]);
    expect(await until(benLive, "ben's first banners", bannersOf, DEADLINE_MS)).toEqual([]);

    expect((await refused(ana.api.classroom.message({ classId, body: "hi all" }))).code).toBe("FORBIDDEN");
    expect((await refused(otherInstructor.api.classroom.message({ classId, body: "hi" }))).code).toBe("NOT_FOUND");
    expect((await refused(instructor.api.classroom.message({ classId, body: "   " }))).message).toMatch(/1 to 500 characters/);
    expect((await refused(instructor.api.classroom.message({ classId, toUserId: outsider.id, body: "hi" }))).code).toBe(
      "NOT_FOUND",
    );

    await instructor.api.classroom.message({ classId, toUserId: ana.id, body: "Ana: check your subnet" });
    await instructor.api.classroom.message({ classId, body: "Ten minutes left, everyone" });
    const anaBanners = await until(
      anaLive,
      "both of ana's banners",
      (e) => (bannersOf(e)?.length === 2 ? bannersOf(e) : undefined),
      DEADLINE_MS,
    );
    expect(anaBanners.map((b) => [b.body, b.toYou])).toEqual([
      ["Ana: check your subnet", true],
      ["Ten minutes left, everyone", false],
    ]);
    const benBanners = await until(
      benLive,
      "ben's class banner",
      (e) => (bannersOf(e)?.some((b) => b.body.startsWith("Ten")) ? bannersOf(e) : undefined),
      DEADLINE_MS,
    );
    expect(benBanners.map((b) => b.body)).toEqual(["Ten minutes left, everyone"]);
  });
});
