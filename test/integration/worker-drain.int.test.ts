// A worker drained in-process (what SIGTERM does: worker/main.ts → stop({ drain: true })), on the real
// engine and PostgreSQL: its running session keeps its containers and its row, its starting session is
// handed to another live worker (a Worker row here, with its own queue), its terminals are told to
// resume, its row is marked draining then stopped; started again with the same WORKER_ID, it serves
// the running session's terminal again.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startBoss, type Boss } from "~/core/jobs/boss";
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import type { TerminalExit } from "~/protocol/terminalProtocol";
import { createWorkerQueues, queueName } from "~/core/workers/queues";
import type { RunningWorker } from "../../worker/app";
import { drainWorker } from "../../worker/tasks/drain";
import { connectTerminal, db, engine, learner, testWorker, waitForStatus, within } from "../support/harness";

const me = `m2-drain-${randomUUID().slice(0, 8)}`;
const other = `m2-other-${randomUUID().slice(0, 8)}`;
let worker: RunningWorker | undefined;
let boss: Boss;
const sessions: string[] = [];

beforeAll(async () => {
  boss = await startBoss(process.env.DATABASE_URL!, { worker: false });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false });
  for (const id of sessions) await engine.teardown(id);
});

it(
  "drain: the running session keeps running, the starting one goes to another host, terminals are told to resume, the row says stopped; back with the same id, its terminal opens again",
  { timeout: 120_000 },
  async () => {
    worker = await testWorker({ WORKER_ID: me, WORKER_HEARTBEAT_SECONDS: "1" });
    const owner = await learner();
    const running = (await owner.api.session.start({ labSlug: "none" })).id;
    sessions.push(running);
    expect((await waitForStatus(running, ["READY", "FAILED"])).status).toBe("READY");
    expect((await db().labSession.findUniqueOrThrow({ where: { id: running } })).workerId).toBe(me);

    // Another lab host, live (a fresh heartbeat) with its own queues, that nobody works here.
    await db().$executeRaw`
      INSERT INTO "Worker" ("id", "publicUrl", "engineId", "capacity", "heartbeatAt")
      VALUES (${other}, 'http://127.0.0.1:1', 'another-engine', 400, (now() AT TIME ZONE 'UTC'))`;
    await createWorkerQueues(boss, other);
    // A session placed on this worker that has not started yet (its job not taken).
    const lab = findLab("none")!;
    const starting = (
      await db().labSession.create({
        data: {
          labSlug: lab.slug,
          ...sessionLabColumns(lab),
          ownerId: owner.id,
          expiresAt: new Date(Date.now() + 3_600_000),
          workerId: me,
        },
      })
    ).id;
    sessions.push(starting);

    const issued = await owner.api.session.terminalToken({ sessionId: running, terminal: "closed" });
    const terminal = await connectTerminal(worker.port, { token: issued.token, sessionId: running, terminal: "closed" });
    const exited = within(new Promise<TerminalExit>((resolve) => terminal.once("exit", resolve)), 30_000, "the terminal's exit");

    await worker.stop({ drain: true });
    worker = undefined;

    expect(await exited).toEqual({ reason: "the lab host is restarting", reopen: true, resume: true });
    const kept = await db().labSession.findUniqueOrThrow({ where: { id: running } });
    expect([kept.status, kept.workerId]).toEqual(["READY", me]);
    expect((await engine.inspectContainer(running, "closed"))?.running).toBe(true);

    const handed = await db().labSession.findUniqueOrThrow({ where: { id: starting } });
    expect([handed.status, handed.workerId, handed.statusReason]).toEqual([
      "QUEUED",
      other,
      `Its lab host ${me} is restarting; starting it on ${other}`,
    ]);
    const jobs = await boss.findJobs(queueName("provisionSession", other), { data: { sessionId: starting } });
    expect(jobs.map((j) => j.state)).toEqual(["created"]);

    const row = await db().worker.findUniqueOrThrow({ where: { id: me } });
    expect(row.draining).toBe(true);
    expect(row.stoppedAt).not.toBeNull();

    // Back with the same WORKER_ID: registered again, and the running session's terminal opens.
    worker = await testWorker({ WORKER_ID: me, WORKER_HEARTBEAT_SECONDS: "1" });
    const back = await db().worker.findUniqueOrThrow({ where: { id: me } });
    expect([back.draining, back.stoppedAt]).toEqual([false, null]);
    const again = await owner.api.session.terminalToken({ sessionId: running, terminal: "closed", clientId: issued.clientId });
    const resumed = await connectTerminal(worker.port, { token: again.token, sessionId: running, terminal: "closed" });
    resumed.type("echo back-$((20+22))\n");
    await resumed.waitForOutput(/back-42\r\n/);
    resumed.close();
  },
);

it("goes on without the jobs that do not finish within the wait, marked draining", async () => {
  const id = `m2-stuck-${randomUUID().slice(0, 8)}`;
  await db().$executeRaw`
    INSERT INTO "Worker" ("id", "publicUrl", "engineId", "capacity", "heartbeatAt")
    VALUES (${id}, 'http://127.0.0.1:1', 'engine', 400, (now() AT TIME ZONE 'UTC'))`;
  const offWork = vi.fn((_queue: string, _options?: { wait?: boolean }) => new Promise<void>(() => undefined)); // a job that never ends
  const stuck = { offWork } as unknown as Boss;
  const started = Date.now();
  const report = await drainWorker({ db: db(), boss: stuck, workerId: id, queues: ["a", "b"], staleSeconds: 15, waitMs: 300 });
  expect(report).toEqual({ jobsFinished: false, handedBack: [], kept: [] });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(offWork.mock.calls).toEqual([
    ["a", { wait: true }],
    ["b", { wait: true }],
  ]);
  expect((await db().worker.findUniqueOrThrow({ where: { id } })).draining).toBe(true);
});

it(
  "the only worker, back after the grace: its running session ends with the reason and its objects go, as another worker's sweep would have done",
  { timeout: 120_000 },
  async () => {
    const alone = `m2-alone-${randomUUID().slice(0, 8)}`;
    worker = await testWorker({ WORKER_ID: alone, WORKER_HEARTBEAT_SECONDS: "1", WORKER_GRACE_SECONDS: "30" });
    const owner = await learner();
    const running = (await owner.api.session.start({ labSlug: "none" })).id;
    sessions.push(running);
    expect((await waitForStatus(running, ["READY", "FAILED"])).status).toBe("READY");
    expect((await db().labSession.findUniqueOrThrow({ where: { id: running } })).workerId).toBe(alone);
    await worker.stop({ drain: true });
    worker = undefined;
    expect((await engine.inspectContainer(running, "closed"))?.running).toBe(true);
    // Away for 31 s by the database's clock, with no other worker to sweep it.
    await db().$executeRaw`
      UPDATE "Worker" SET "heartbeatAt" = (now() AT TIME ZONE 'UTC') - make_interval(secs => 31) WHERE "id" = ${alone}`;

    worker = await testWorker({ WORKER_ID: alone, WORKER_HEARTBEAT_SECONDS: "1", WORKER_GRACE_SECONDS: "30" });
    const row = await db().labSession.findUniqueOrThrow({ where: { id: running } });
    expect([row.status, row.statusReason]).toEqual([
      "FAILED",
      `its lab host ${alone} stopped and did not come back within 30 s; start the lab again`,
    ]);
    expect(await engine.inspectContainer(running, "closed")).toBeUndefined();
  },
);
