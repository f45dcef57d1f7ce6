// The line when every lab host is full (issue 14): a start that finds no place is written WAITING
// (no worker, no job) instead of being refused; the page shows its position and an estimate, kept
// live by the push channel as the line moves; the lab starts by itself when a place frees (a
// running session stopped → the first in line is admitted by the worker, with no further call);
// cancelling while waiting ends it at once; the learner's own limit counts WAITING sessions and the
// platform's caps and placement do not; two admitters at once admit each session once. A real worker
// with room for two bridge-basics sessions (2 containers each: busybox1 and the session host).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOCKED_TRANSACTION } from "~/core/advisoryLock";
import { newJoinCode } from "~/core/classes/joinCode";
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { POOL_OWNER } from "~/core/pool/poolOwner";
import { admitWaiting, waitedTooLong } from "~/core/queue/admitWaiting";
import { startSession } from "~/core/sessions/startSession";
import { readLine } from "~/core/queue/line";
import type { LineBoard } from "~/core/queue/lineBoard";
import { findPlace } from "~/core/queue/platformRoom";
import { expireSessions } from "~/core/sessions/expireSessions";
import { requestTeardown } from "~/core/sessions/requestTeardown";
import { EndReason } from "~/protocol/sessionEnd";
import { ACTIVE, SETTLED, Status } from "~/protocol/sessionStatus";
import type { LiveSessionEvent } from "~/server/api/routers/live";
import { getSessionEvents } from "~/core/push/sessionEvents";
import { getBoss } from "~/server/webBoss";
import type { RunningWorker } from "../../worker/app";
import { until, type Live } from "../support/live";
import { db, engine, eventually, learner, testWorker, waitForStatus, within } from "../support/harness";

const CAPACITY = 4;
const STALE = 15;
let worker: RunningWorker;
const everyId: string[] = [];
/** The line's subscriptions open in this process's push channel (pages in line, and the line board). */
let lineListeners = 0;

beforeAll(async () => {
  worker = await testWorker({ WORKER_CAPACITY: String(CAPACITY), WORKER_HEARTBEAT_SECONDS: "1" });
  // This process's push channel listens before any page subscribes (its first LISTEN ends in a resync),
  // so a move of the line reaches the pages as a line event, not as a resync's re-read.
  const events = getSessionEvents(process.env.DATABASE_URL!);
  const subscribeLine = events.subscribeLine.bind(events);
  events.subscribeLine = (listener) => {
    const off = subscribeLine(listener);
    lineListeners++;
    let done = false;
    return () => {
      if (!done) lineListeners--;
      done = true;
      off();
    };
  };
  await within(
    new Promise<void>((resolve) => {
      const off = events.subscribeLine((event) => {
        if ("resync" in event) {
          off();
          resolve();
        }
      });
    }),
    10_000,
    "the push channel to listen",
  );
});

afterAll(async () => {
  await worker?.stop();
  for (const id of everyId) await engine.teardown(id);
});

/** Every session not settled is stopped (through the normal path) and has settled: each test starts with an empty host. */
beforeEach(async () => {
  const boss = await getBoss(process.env.DATABASE_URL!);
  const open = await db().labSession.findMany({ where: { status: { notIn: [...SETTLED] } }, select: { id: true } });
  for (const { id } of open) await requestTeardown(db(), boss, id, "test clean-up", EndReason.owner);
  await eventually("every session settled", async () =>
    (await db().labSession.count({ where: { status: { notIn: [...SETTLED] } } })) === 0 ? true : undefined,
  );
  // And the host's heartbeat says so (placement reads its count): the next test starts on an empty host.
  await eventually("the heartbeat to count no container", async () =>
    (await db().worker.findUniqueOrThrow({ where: { id: worker.workerId } })).containers === 0 ? true : undefined,
  );
}, 60_000);

async function start(who: Awaited<ReturnType<typeof learner>>, labSlug = "bridge-basics") {
  const view = await who.api.session.start({ labSlug });
  everyId.push(view.id);
  return view;
}

/** Two learners' sessions fill the worker (4 of 4 containers): READY. */
async function fillTheHost() {
  const [alice, bob] = await Promise.all([learner(), learner()]);
  const a = await start(alice);
  const b = await start(bob);
  expect([a.status, b.status]).toEqual([Status.queued, Status.queued]);
  await Promise.all([waitForStatus(a.id, [Status.ready]), waitForStatus(b.id, [Status.ready])]);
  return { alice, bob, a, b };
}

async function subscribe(who: Awaited<ReturnType<typeof learner>>, sessionId: string): Promise<Live> {
  return (await who.api.live.session({ sessionId }))[Symbol.asyncIterator]();
}

const lineBoard = () => (globalThis as unknown as { wireroomLineBoard?: LineBoard }).wireroomLineBoard;

describe("a start when every lab host is full", () => {
  it("waits in line with its position and an estimate, moves up live when the one ahead leaves, and starts by itself when a place frees", async () => {
    const { alice, a } = await fillTheHost();
    const [carol, dave, erin] = await Promise.all([learner(), learner(), learner()]);
    const c = await start(carol);
    const d = await start(dave);
    const e = await start(erin);
    // In line: no worker, no job; the view says where and about how long (two sessions run: their time ends in ~120 min).
    expect(c).toMatchObject({ status: Status.waiting, canStop: true, inProgress: true, line: { position: 1 } });
    expect(d.line).toMatchObject({ position: 2 });
    expect(e.line).toMatchObject({ position: 3 });
    expect(d.line!.estimateMinutes).toBeGreaterThan(60);
    expect(e.line!.estimateMinutes).toBeNull(); // a third in line, two running, nothing freed yet: no estimate
    const row = await db().labSession.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ workerId: null, statusReason: "Every lab host is busy: waiting in line for a place" });
    expect(row.waitingSince).toBeInstanceOf(Date);
    const jobs = await db().$queryRaw<unknown[]>`SELECT 1 FROM pgboss.job WHERE data->>'sessionId' = ${c.id}`;
    expect(jobs).toHaveLength(0);
    // The tRPC view (session.get) says the same.
    expect((await dave.api.session.get({ sessionId: d.id })).line).toMatchObject({ position: 2 });

    // A running lab's page does not hear the line's moves.
    const before = lineListeners;
    const aliceLive = await subscribe(alice, a.id);
    await until(aliceLive, "Alice's session", (ev: LiveSessionEvent) => (ev.type === "session" ? ev.session : undefined));
    expect(lineListeners).toBe(before);
    await aliceLive.return?.();

    // Dave's and Erin's pages, live: the first event is the session with its place.
    const daveLive = await subscribe(dave, d.id);
    const erinLive = await subscribe(erin, e.id);
    const first = (live: Live) =>
      until(live, "the session with its place", (ev: LiveSessionEvent) => (ev.type === "session" ? ev.session : undefined));
    expect((await first(daveLive)).line).toMatchObject({ position: 2 });
    expect((await first(erinLive)).line).toMatchObject({ position: 3 });

    // Carol cancels: over at once (nothing on an engine), and the pages behind her move up, from one read of the line.
    const readsBefore = lineBoard()?.reads ?? 0;
    const left = await carol.api.session.stop({ sessionId: c.id });
    expect(left).toMatchObject({ status: Status.stopped, statusReason: "You ended this session.", canStop: false });
    const moved = (position: number) => (ev: LiveSessionEvent) =>
      ev.type === "line" && ev.line.position === position ? ev.line : undefined;
    await until(daveLive, "Dave's page to say he is first", moved(1), 10_000);
    await until(erinLive, "Erin's page to say she is second", moved(2), 10_000);
    expect((lineBoard()?.reads ?? 0) - readsBefore).toBe(1);

    // Alice stops her lab: its teardown frees a place and the worker admits Dave, who becomes READY with no further call.
    const listening = lineListeners;
    await alice.api.session.stop({ sessionId: a.id });
    await until(
      daveLive,
      "Dave's page to show his lab running",
      (ev: LiveSessionEvent) => (ev.type === "session" && ev.session.status === Status.ready ? ev.session : undefined),
      45_000,
    );
    // Out of the line for good: his page stops hearing it.
    expect(lineListeners).toBe(listening - 1);
    const admitted = await db().labSession.findUniqueOrThrow({ where: { id: d.id } });
    expect(admitted.workerId).toBe(worker.workerId);
    // Its time started at admission (the TTL it was started with), not when it joined the line.
    expect(admitted.expiresAt.getTime() - admitted.readyAt!.getTime()).toBeGreaterThan(119 * 60_000 - 60_000);
    expect(admitted.expiresAt.getTime() - admitted.waitingSince!.getTime()).toBeGreaterThan(120 * 60_000);
    // Erin is first now; nothing else fits.
    await until(erinLive, "Erin's page to say she is first", moved(1), 10_000);
    expect((await db().labSession.findUniqueOrThrow({ where: { id: e.id } })).status).toBe(Status.waiting);
    await daveLive.return?.();
    await erinLive.return?.();
  }, 120_000);

  it("holds one place in line per learner, counts it in the learner's own limit, not in the platform's caps nor a host's load", async () => {
    // Frank fills the host himself; his third start waits.
    const [frank, gina, hank] = await Promise.all([learner(), learner(), learner()]);
    const running = [await start(frank), await start(frank)];
    await Promise.all(running.map((view) => waitForStatus(view.id, [Status.ready])));
    const franks = await start(frank);
    expect(franks.status).toBe(Status.waiting);
    // The same lab again: the one waiting, not a second place in line.
    expect((await start(frank)).id).toBe(franks.id);
    // One learner cannot queue many: the limit (3) counts the session in line.
    await expect(frank.api.session.start({ labSlug: "none" })).rejects.toThrow(
      /^You already have 3 lab sessions running or waiting \(the limit is 3\)\. Stop one to start another\.$/,
    );
    // Below the limit, a second lab while one waits: refused, saying which.
    const ginas = await start(gina);
    expect(ginas.status).toBe(Status.waiting);
    await expect(gina.api.session.start({ labSlug: "none" })).rejects.toThrow(
      /^You are already in line for Bridge basics; cancel it to wait for another lab\.$/,
    );
    expect(await db().labSession.count({ where: { ownerId: gina.id } })).toBe(1);
    const waiting = [franks, ginas, await start(hank)];
    expect(waiting.map((v) => v.status)).toEqual([Status.waiting, Status.waiting, Status.waiting]);
    // A pooled session that stopped freed no learner's place: the estimate does not count it.
    const freedBefore = (await readLine(db())).freedRecently;
    const poolLab = findLab("bridge-basics")!;
    const stoppedPooled = await db().labSession.create({
      data: {
        labSlug: poolLab.slug,
        ...sessionLabColumns(poolLab),
        ownerId: POOL_OWNER,
        pooledAt: new Date(),
        status: Status.stopped,
        workerId: worker.workerId,
        stoppedAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    expect((await readLine(db())).freedRecently).toBe(freedBefore);
    await db().labSession.delete({ where: { id: stoppedPooled.id } });
    // What runs: 2 sessions, 4 containers, the host's 4. Three more sessions wait (6 containers): counted,
    // they would fill any cap below 5 sessions or 10 containers and the host. They hold no place:
    expect(await db().labSession.count({ where: { status: { in: [...ACTIVE] } } })).toBe(2);
    // The host's last heartbeat counts just those (not the previous test's, whose removal it may have caught midway).
    await eventually("the heartbeat to count the 4 running containers", async () =>
      (await db().worker.findUniqueOrThrow({ where: { id: worker.workerId } })).containers === CAPACITY ? true : undefined,
    );
    const placeFor = (needed: number, caps: { maxActiveSessions?: number; maxActiveContainers?: number }) =>
      db().$transaction((tx) => findPlace(tx, { needed, caps, staleSeconds: STALE }), LOCKED_TRANSACTION);
    expect(await placeFor(0, { maxActiveSessions: 3, maxActiveContainers: 4 })).toEqual({ workerId: worker.workerId });
    // The caps still count what runs.
    const full = await placeFor(0, { maxActiveSessions: 2 });
    expect("full" in full && full.full.message).toMatch(/^The platform is full: 2 lab sessions are running/);
    const host = await placeFor(2, {});
    expect("full" in host && host.full.message).toMatch(/^Every lab host is full: this lab needs 2 containers/);
    // Expiry stops what runs, never what waits: a waiting session's time starts when it is admitted.
    const boss = await getBoss(process.env.DATABASE_URL!);
    const expired = await expireSessions({ db: db(), boss, now: new Date(Date.now() + 365 * 24 * 3_600_000) });
    expect(expired).toHaveLength(2);
    for (const view of waiting) expect(expired).not.toContain(view.id);
    expect(await db().labSession.count({ where: { id: { in: waiting.map((v) => v.id) }, status: Status.waiting } })).toBe(3);
  }, 90_000);

  it("two admitters at once admit each session once, in line order, only as many as fit", async () => {
    const { alice, bob, a, b } = await fillTheHost();
    const people = await Promise.all([learner(), learner(), learner()]);
    const line: { id: string }[] = [];
    for (const who of people) line.push(await start(who));
    // No live host (draining) while both running sessions go, so the worker's own admissions find no
    // place (a capacity too small for the lab would end the line's head: it could never fit); then room
    // for exactly one session (2 containers), and two admitters race for the line (with the worker's
    // heartbeat loop, a third).
    await db().worker.update({ where: { id: worker.workerId }, data: { draining: true } });
    await alice.api.session.stop({ sessionId: a.id });
    await bob.api.session.stop({ sessionId: b.id });
    await eventually("both running sessions stopped", async () =>
      (await db().labSession.count({ where: { status: { in: [...ACTIVE] } } })) === 0 ? true : undefined,
    );
    expect(await db().labSession.count({ where: { status: Status.waiting } })).toBe(3);
    const boss = await getBoss(process.env.DATABASE_URL!);
    const options = { db: db(), boss, staleSeconds: STALE, caps: {} };
    try {
      await db().worker.update({ where: { id: worker.workerId }, data: { capacity: 2, draining: false } });
      // An admitter holds to the platform's caps: a cap of 0 sessions leaves no place now.
      expect(await admitWaiting({ ...options, caps: { maxActiveSessions: 0 } })).toEqual([]);
      const [one, two] = await Promise.all([admitWaiting(options), admitWaiting(options)]);
      // Whoever admitted it (these two, or the worker's loop meanwhile): the first in line, once; the others wait.
      await waitForStatus(line[0]!.id, [Status.queued, Status.provisioning, Status.ready]);
      expect([...one, ...two].filter((id) => id !== line[0]!.id)).toEqual([]);
      expect([...one, ...two].filter((id) => id === line[0]!.id).length).toBeLessThanOrEqual(1);
      const jobs = await db().$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'sessionId' = ${line[0]!.id} AND name LIKE 'session-provision%'`;
      expect(jobs[0]!.n).toBe(1);
      const rest = await db().labSession.findMany({ where: { id: { in: [line[1]!.id, line[2]!.id] } } });
      expect(rest.map((r) => r.status)).toEqual([Status.waiting, Status.waiting]);
      await waitForStatus(line[0]!.id, [Status.ready], 45_000);
    } finally {
      await db().worker.update({ where: { id: worker.workerId }, data: { capacity: CAPACITY, draining: false } });
    }
  }, 120_000);

  it("is bounded: a lab that can never fit is refused or leaves the line, the line has a length and a longest wait, and the pool never serves a newcomer ahead of it", async () => {
    const { alice } = await fillTheHost();
    const [carol, dave, erin] = await Promise.all([learner(), learner(), learner()]);
    const boss = await getBoss(process.env.DATABASE_URL!);
    // Bigger than the whole host (9 containers, the host holds 4): refused at once, never in line.
    await expect(start(carol, "network-modes")).rejects.toThrow(
      /^This lab needs 9 containers and the largest lab host holds 4, so it cannot start here\. Please contact the operator\.$/,
    );
    const c = await start(carol);
    expect(c.status).toBe(Status.waiting);
    // As a class session in line, "needs help" says what is true: it has not started, it has not ended.
    const klass = await db().class.create({
      data: {
        name: "Line class",
        instructorId: alice.id,
        joinCode: newJoinCode(),
        joinCodeExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    await db().classMember.create({ data: { classId: klass.id, userId: carol.id } });
    await db().labSession.update({ where: { id: c.id }, data: { classId: klass.id } });
    await expect(carol.api.classroom.raiseHelp({ sessionId: c.id })).rejects.toThrow(
      /^This session is still waiting in line for a lab host: ask for help once its lab has started\.$/,
    );
    // The line's length (MAX_WAITING_SESSIONS): one waits, a line of 1 is full; 0 is no line at all.
    const startDave = (maxWaitingSessions: number) =>
      startSession({
        db: db(),
        boss,
        userId: dave.id,
        labSlug: "bridge-basics",
        ttlMinutes: 120,
        maxActivePerUser: 3,
        maxWaitingSessions,
      });
    await expect(startDave(1)).rejects.toThrow(/^The line is full: 1 learners are waiting\. Please try again later\.$/);
    await expect(startDave(0)).rejects.toThrow(/^Every lab host is full/);
    // A ready pooled session of the lab is not claimed by a newcomer while Carol waits: Dave joins the line behind her.
    const lab = findLab("bridge-basics")!;
    const pooled = await db().labSession.create({
      data: {
        labSlug: lab.slug,
        ...sessionLabColumns(lab),
        ownerId: POOL_OWNER,
        pooledAt: new Date(),
        status: Status.ready,
        workerId: worker.workerId,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    everyId.push(pooled.id);
    const d = await start(dave);
    expect(d.id).not.toBe(pooled.id);
    expect(d).toMatchObject({ status: Status.waiting, line: { position: 2 } });
    // Ahead of Carol: one that waited past MAX_WAIT_MINUTES, and a lab that no longer fits (the host holds 4).
    const waitingRow = (labSlug: string, ownerId: string, waitingSince: Date) => {
      const l = findLab(labSlug)!;
      return db().labSession.create({
        data: {
          labSlug,
          ...sessionLabColumns(l),
          ownerId,
          status: Status.waiting,
          waitingSince,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
    };
    const cRow = await db().labSession.findUniqueOrThrow({ where: { id: c.id } });
    const late = await waitingRow("bridge-basics", erin.id, new Date(Date.now() - 2 * 3_600_000));
    const huge = await waitingRow("network-modes", erin.id, new Date(cRow.waitingSince!.getTime() - 1_000));
    everyId.push(late.id, huge.id);
    await admitWaiting({ db: db(), boss, staleSeconds: STALE, caps: {}, maxWaitMinutes: 60 });
    // (The worker's own admitter may have ended them first: the same outcome.)
    await eventually("both to have left the line", async () =>
      (await db().labSession.count({ where: { id: { in: [late.id, huge.id] }, status: Status.stopped } })) === 2
        ? true
        : undefined,
    );
    expect(await erin.api.session.get({ sessionId: late.id })).toMatchObject({
      status: Status.stopped,
      statusReason: waitedTooLong(60),
    });
    expect(await erin.api.session.get({ sessionId: huge.id })).toMatchObject({
      statusReason:
        "This lab needs 9 containers and the largest lab host holds 4, so it cannot start here. Please contact the operator.",
    });
    // The line is not blocked: Carol is first again (the next place that frees is hers).
    expect((await carol.api.session.get({ sessionId: c.id })).line).toMatchObject({ position: 1 });
  }, 120_000);
});
