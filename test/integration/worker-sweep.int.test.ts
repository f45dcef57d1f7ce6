// The sweep (src/core/workers/sweep.ts) against a real PostgreSQL and pg-boss, with Worker rows written
// directly (their heartbeats set in the past by the database's clock): no worker process, no engine.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBoss, type Boss } from "~/core/jobs/boss";
import { findLab } from "~/core/labs/catalog";
import { sessionContainerCount } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { sessionsOnOtherEngines } from "~/core/workers/placedElsewhere";
import { queueName, createWorkerQueues } from "~/core/workers/queues";
import { markStopped } from "~/core/workers/registry";
import { sweepWorkers } from "~/core/workers/sweep";
import type { SessionStatus } from "~/generated/prisma/client";
import { db } from "../support/harness";

const STALE = 15;
const GRACE = 300;
const lab = findLab("network-modes")!;
const NEEDED = sessionContainerCount(lab);
let boss: Boss;

beforeAll(async () => {
  boss = await startBoss(process.env.DATABASE_URL!, { worker: false });
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
});

beforeEach(async () => {
  await db().labSession.deleteMany();
  await db().worker.deleteMany();
});

/** A Worker row whose last heartbeat was `silentFor` seconds ago by the database's clock; its own queues exist. */
async function worker(
  name: string,
  options: { silentFor?: number; capacity?: number; draining?: boolean; engineId?: string } = {},
) {
  const id = `${name}-${randomUUID().slice(0, 6)}`;
  const at = `(now() AT TIME ZONE 'UTC') - make_interval(secs => ${options.silentFor ?? 0})`;
  await db().$executeRawUnsafe(
    `INSERT INTO "Worker" ("id", "publicUrl", "engineId", "capacity", "draining", "heartbeatAt")
     VALUES ($1, 'http://127.0.0.1:1', $4, $2, $3, ${at})`,
    id,
    options.capacity ?? 400,
    options.draining ?? false,
    options.engineId ?? "engine-a",
  );
  await createWorkerQueues(boss, id);
  return id;
}

async function session(workerId: string, status: SessionStatus) {
  const row = await db().labSession.create({
    data: {
      labSlug: lab.slug,
      ...sessionLabColumns(lab),
      ownerId: `owner-${randomUUID()}`,
      status,
      expiresAt: new Date(Date.now() + 3_600_000),
      workerId,
    },
  });
  return row.id;
}

const row = (id: string) => db().labSession.findUniqueOrThrow({ where: { id } });

/** The provision jobs of a session on a worker's own queue. */
const provisionJobs = (workerId: string, sessionId: string) =>
  boss.findJobs<{ sessionId: string; labHash?: string }>(queueName("provisionSession", workerId), { data: { sessionId } });

describe("sweepWorkers", () => {
  it("places a stale worker's starting sessions on a live one, with their provision job on its queue; its running ones wait for the grace", async () => {
    const gone = await worker("gone", { silentFor: 60 });
    const me = await worker("me");
    const queued = await session(gone, "QUEUED");
    const provisioning = await session(gone, "PROVISIONING");
    const running = await session(gone, "READY");

    const report = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });

    expect(report.moved.map((m) => m.sessionId).sort()).toEqual([queued, provisioning].sort());
    for (const id of [queued, provisioning]) {
      const moved = await row(id);
      expect(moved.workerId).toBe(me);
      expect(moved.statusReason).toBe(`Its lab host ${gone} stopped answering; starting it on ${me}`);
      const jobs = await provisionJobs(me, id);
      expect(jobs.map((j) => [j.state, j.data])).toEqual([["created", { sessionId: id, labHash: moved.labHash }]]);
    }
    expect((await row(queued)).status).toBe("QUEUED");
    expect((await row(provisioning)).status).toBe("PROVISIONING");
    const kept = await row(running);
    expect([kept.status, kept.workerId]).toEqual(["READY", gone]);
    expect(report.lost).toEqual([]);
  });

  it("after the grace: a silent worker's running sessions fail with the reason, its stopping ones are stopped", async () => {
    const gone = await worker("gone", { silentFor: GRACE + 10 });
    const me = await worker("me");
    const running = await session(gone, "READY");
    const stopping = await session(gone, "STOPPING");
    const queued = await session(gone, "QUEUED");

    const report = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });

    const failed = await row(running);
    expect(failed.status).toBe("FAILED");
    expect(failed.statusReason).toBe(`its lab host ${gone} stopped and did not come back within ${GRACE} s; start the lab again`);
    const ended = await row(stopping);
    expect(ended.status).toBe("STOPPED");
    expect(ended.stoppedAt).not.toBeNull();
    expect((await row(queued)).workerId).toBe(me);
    expect(report).toMatchObject({ lost: [running], stopped: [stopping] });
  });

  it("leaves fresh workers alone, and a draining one while it beats (it hands back its own); a stopped one's starting sessions move", async () => {
    const me = await worker("me");
    const fresh = await worker("fresh", { silentFor: 2 });
    const draining = await worker("draining", { draining: true });
    const stopped = await worker("stopped");
    await markStopped(db(), stopped);
    const freshQueued = await session(fresh, "QUEUED");
    const freshRunning = await session(fresh, "READY");
    const drainingQueued = await session(draining, "PROVISIONING");
    const drainingRunning = await session(draining, "READY");
    const stoppedQueued = await session(stopped, "QUEUED");
    const stoppedRunning = await session(stopped, "READY");
    const mine = await session(me, "QUEUED");

    const report = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });

    expect(report.moved.map((m) => [m.sessionId, m.from])).toEqual([[stoppedQueued, stopped]]);
    for (const [id, status, workerId] of [
      [freshQueued, "QUEUED", fresh],
      [freshRunning, "READY", fresh],
      [drainingQueued, "PROVISIONING", draining],
      [drainingRunning, "READY", draining],
      [stoppedRunning, "READY", stopped],
      [mine, "QUEUED", me],
    ] as const) {
      const r = await row(id);
      expect([r.status, r.workerId, r.statusReason]).toEqual([status, workerId, null]);
    }
    // Placed by load: `me` and `fresh` each have a starting session, and `fresh` also a running one
    // (its planned containers count while its heartbeat says 0): `me` is the less loaded.
    expect((await row(stoppedQueued)).workerId).toBe(me);
  });

  it("leaves a starting session where it is while no other host has room (the next sweep tries again)", async () => {
    const gone = await worker("gone", { silentFor: 60 });
    const me = await worker("me", { capacity: NEEDED - 1 });
    const queued = await session(gone, "QUEUED");

    const first = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });
    expect(first).toEqual({ moved: [], waiting: [queued], lost: [], stopped: [] });
    expect((await row(queued)).workerId).toBe(gone);
    expect(await provisionJobs(me, queued)).toEqual([]);

    await db().worker.update({ where: { id: me }, data: { capacity: 400 } });
    const second = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });
    expect(second.moved).toEqual([{ sessionId: queued, from: gone, to: me }]);
  });

  it("two sweepers at once move each session once, with one provision job", async () => {
    const gone = await worker("gone", { silentFor: 60 });
    const one = await worker("one");
    const two = await worker("two");
    const ids = await Promise.all(Array.from({ length: 6 }, () => session(gone, "QUEUED")));

    const reports = await Promise.all(
      [one, two].map((me) => sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE })),
    );

    const moved = reports.flatMap((r) => r.moved.map((m) => m.sessionId));
    expect(moved.sort()).toEqual([...ids].sort()); // each once, by one sweeper or the other
    for (const id of ids) {
      const placed = (await row(id)).workerId!;
      expect([one, two]).toContain(placed);
      const jobs = [...(await provisionJobs(one, id)), ...(await provisionJobs(two, id))];
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.name).toBe(queueName("provisionSession", placed));
    }
  });

  it("moves nothing of a worker that came back (a fresh heartbeat) before the sweep", async () => {
    const back = await worker("back", { silentFor: 60 });
    const me = await worker("me");
    const queued = await session(back, "QUEUED");
    await db().$executeRaw`UPDATE "Worker" SET "heartbeatAt" = (now() AT TIME ZONE 'UTC') WHERE "id" = ${back}`;

    const report = await sweepWorkers({ db: db(), boss, me, staleSeconds: STALE, graceSeconds: GRACE });
    expect(report.moved).toEqual([]);
    expect((await row(queued)).workerId).toBe(back);
  });
});

describe("sessionsOnOtherEngines (reconcile's question)", () => {
  it("names the live sessions held by another worker on another engine; not its own, a same-engine worker's, unplaced or settled ones", async () => {
    const me = await worker("me", { engineId: "engine-a" });
    const neighbour = await worker("neighbour", { engineId: "engine-a" });
    const away = await worker("away", { engineId: "engine-b" });
    const moved = await session(away, "PROVISIONING");
    const movedRunning = await session(away, "READY");
    const settled = await session(away, "FAILED");
    const mine = await session(me, "READY");
    const neighbours = await session(neighbour, "READY");
    const unplaced = await session(me, "QUEUED");
    await db().labSession.update({ where: { id: unplaced }, data: { workerId: null } });

    const found = await sessionsOnOtherEngines(db(), {
      sessionIds: [moved, movedRunning, settled, mine, neighbours, unplaced],
      me,
      engineId: "engine-a",
    });
    expect(found.sort()).toEqual([moved, movedRunning].sort());
  });
});
