// Pools of ready sessions (src/core/pool/, issue 14): a real worker (its refill on its heartbeat loop)
// keeps bridge-basics' pool at 2 on an engine with room for 6 containers (each bridge-basics session:
// its session host and busybox1). A start claims the oldest pooled session, READY at once with its own
// values and nothing of anyone before it; the pool refills; its containers count against the capacity;
// a lab whose file changed gets a fresh pool; a pooled session is in no one's list and opens to no one.
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLab, reloadCatalog } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { POOL_OWNER } from "~/core/pool/poolOwner";
import { POOL_MAX_AGE_MINUTES } from "~/core/pool/poolTuning";
import { inThePool, inThePoolSql } from "~/core/pool/refillPools";
import { pooledStopping, releasePooled, RELEASED_REASON } from "~/core/pool/releasePooled";
import { lockPooled } from "~/core/pool/stopPooled";
import { Prisma } from "~/generated/prisma/client";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { liveWorkers } from "~/core/workers/registry";
import { ACTIVE, LIVE, Status, type SessionStatus } from "~/protocol/sessionStatus";
import { webEnv } from "~/server/env";
import { getBoss } from "~/server/webBoss";
import type { RunningWorker } from "../../worker/app";
import { FIXTURE_LABS_DIR } from "../support/fixtureLabs";
import { engine } from "../support/engine";
import { eventually } from "../support/eventually";
import { connectTerminal, db, learner, testWorker, waitForStatus, type TerminalClient } from "../support/harness";
import { pooledSessionData } from "../support/pooledSession";
import { refused } from "../support/refused";

const labsDir = mkdtempSync(path.join(os.tmpdir(), "wireroom-pool-labs-"));
const labFile = path.join(labsDir, "bridge-basics", "lab.yaml");
const CAPACITY = 6;
let worker: RunningWorker;
const clients: TerminalClient[] = [];

/** The unclaimed pooled sessions of bridge-basics that are starting or running, oldest first. */
const pooled = (status: readonly SessionStatus[] = LIVE) =>
  db().labSession.findMany({
    where: { labSlug: "bridge-basics", pooledAt: { not: null }, status: { in: [...status] } },
    orderBy: { pooledAt: "asc" },
  });

/** Waits until the pool holds `size` READY sessions (of the current lab file) and nothing else is starting. */
function poolReady(size: number, labHash = sessionLabColumns(findLab("bridge-basics")!).labHash) {
  return eventually(
    `${size} ready pooled sessions`,
    async () => {
      const rows = await pooled();
      const ready = rows.filter((r) => r.status === Status.ready && r.labHash === labHash);
      return ready.length === size && rows.length === size ? ready : undefined;
    },
    { timeoutMs: 45_000 },
  );
}

/** Containers planned by the sessions placed on the worker and not yet stopped (each bridge-basics or none session: 2). */
const plannedLoad = async () =>
  2 * (await db().labSession.count({ where: { workerId: worker.workerId, status: { in: [...ACTIVE] } } }));

beforeAll(async () => {
  cpSync(FIXTURE_LABS_DIR, labsDir, { recursive: true });
  process.env.LABS_DIR = labsDir;
  reloadCatalog();
  worker = await testWorker({
    SESSION_POOL: "bridge-basics=2",
    WORKER_CAPACITY: String(CAPACITY),
    WORKER_HEARTBEAT_SECONDS: "1",
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await worker?.stop();
  for (const { id } of await db().labSession.findMany({ select: { id: true } })) await engine.teardown(id);
  process.env.LABS_DIR = FIXTURE_LABS_DIR;
  reloadCatalog();
  rmSync(labsDir, { recursive: true, force: true });
}, 120_000);

describe("a lab's pool of ready sessions", () => {
  let first: { id: string; params: unknown; expiresAt: Date };
  let someone: Awaited<ReturnType<typeof learner>>;

  it("fills to its size in the background; a pooled session is no one's: in no list, no view, no terminal", async () => {
    const ready = await poolReady(2);
    first = ready[0]!;
    expect(ready.every((r) => r.ownerId === POOL_OWNER && r.workerId === worker.workerId)).toBe(true);
    expect(first.expiresAt.getTime() - Date.now()).toBeGreaterThan((POOL_MAX_AGE_MINUTES - 5) * 60_000);

    someone = await learner();
    expect(await someone.api.session.mine()).toEqual([]);
    expect(await refused(someone.api.session.get({ sessionId: first.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refused(someone.api.session.terminalToken({ sessionId: first.id, terminal: "busybox1" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    // Even a token signed for the pool's owner id is refused by the gateway: no shell was ever opened in it.
    const token = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
      sub: POOL_OWNER,
      sid: first.id,
      terminal: "busybox1",
      role: "driver",
      cid: randomBytes(16).toString("base64url"),
      handle: "pool",
    });
    await expect(connectTerminal(worker.port, { token, sessionId: first.id, terminal: "busybox1" })).rejects.toMatchObject({
      data: { reason: "not-ready" },
    });
    expect(worker.hub.counts().terminals).toBe(0);
  }, 60_000);

  it("is claimed by a start: READY at once, the oldest, with fresh values and no trace of its time in the pool", async () => {
    const startedAt = Date.now();
    const view = await someone.api.session.start({ labSlug: "bridge-basics" });
    expect(view).toMatchObject({ id: first.id, status: Status.ready });

    const row = await db().labSession.findUniqueOrThrow({
      where: { id: first.id },
      include: { members: true, checkRuns: true, checkResults: true, submissions: true, reveals: true },
    });
    expect(row).toMatchObject({ ownerId: someone.id, pooledAt: null, statusReason: null, classId: null, lastActivityAt: null });
    expect(row.params).not.toEqual(first.params);
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(row.readyAt!.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(Math.abs(ttl - webEnv().SESSION_TTL_MINUTES * 60_000)).toBeLessThan(1000);
    expect([row.members, row.checkRuns, row.checkResults, row.submissions, row.reveals]).toEqual([[], [], [], [], []]);
    expect((await someone.api.session.mine()).map((s) => s.id)).toEqual([first.id]);

    // Its shell is a fresh one: the worker never had a terminal of it.
    expect(worker.hub.get(first.id, "busybox1")).toBeUndefined();
    const { token } = await someone.api.session.terminalToken({ sessionId: first.id, terminal: "busybox1" });
    const client = await connectTerminal(worker.port, { token, sessionId: first.id, terminal: "busybox1" });
    clients.push(client);
    await client.waitForOutput(/\/ # /); // its first prompt, then the command
    client.type("echo pool-$((6*7))\n");
    await client.waitForOutput(/pool-42\r\n/);
    // A fresh shell's banner, then this start's own command at the first prompt: nothing came before it.
    const shown = await eventually("the shell's screen with the answer", async () => {
      const text = (await client.lines()).map((line) => line.trimEnd()).filter((line) => line !== "");
      return text.includes("pool-42") && text;
    });
    // Every line is the shell's banner, a prompt, or this start's command and its answer (how the
    // gateway's snapshot and output interleave is the terminal tests' concern, not this one's).
    const ours = [/^BusyBox v/, /^Enter 'help'/, /^\/ #$/, /^\/ # echo pool-\$\(\(6\*7\)\)$/, /^pool-42$/];
    expect(shown.filter((line) => !ours.some((pattern) => pattern.test(line)))).toEqual([]);
    expect(shown[0]).toMatch(/^BusyBox v/);
  }, 60_000);

  it("refills after a claim", async () => {
    const ready = await poolReady(2);
    expect(ready.map((r) => r.id)).not.toContain(first.id);
    expect(await plannedLoad()).toBe(CAPACITY);
  }, 60_000);

  it("releases only what is still needed: pooled sessions already stopping count as freeing room", async () => {
    const boss = await getBoss(process.env.DATABASE_URL!);
    const rolledBack = new Error("rolled back: the pool stays as it was");
    await expect(
      db().$transaction(async (tx) => {
        expect(await pooledStopping(tx)).toBe(0);
        const once = await releasePooled(tx, boss, 2);
        expect(once).toMatchObject({ sessionIds: [expect.any(String)], containers: 2 });
        expect(await pooledStopping(tx)).toBe(2);
        // Called again for the same need (the next admitter run, another start joining the line): nothing more stops.
        expect(await releasePooled(tx, boss, 2)).toEqual({ sessionIds: [], containers: 0 });
        // A bigger need stops only what the stopping one does not cover.
        expect(await releasePooled(tx, boss, 4)).toMatchObject({ sessionIds: [expect.any(String)], containers: 2 });
        expect(await releasePooled(tx, boss, 4)).toEqual({ sessionIds: [], containers: 0 });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await poolReady(2)).toHaveLength(2);
  }, 30_000);

  it("counts in the pool only sessions a start could claim: none on a stale worker", async () => {
    const hash = sessionLabColumns(findLab("bridge-basics")!).labHash;
    const rolledBack = new Error("rolled back: test rows only");
    await expect(
      db().$transaction(async (tx) => {
        const live = async () => (await liveWorkers(tx, 30)).map((w) => w.id);
        // The refill's count, and the rows it would stop when a pool shrank (the same sessions).
        const counted = async () => {
          const count = await tx.labSession.count({
            where: { ...inThePool(await live()), labSlug: "bridge-basics", labHash: hash },
          });
          const locked = await lockPooled(tx, Prisma.sql`"labSlug" = 'bridge-basics' AND ${inThePoolSql(await live())}`);
          expect(locked).toHaveLength(count);
          return count;
        };
        expect(await counted()).toBe(2);
        const stale = await tx.worker.create({
          data: {
            id: "pf-stale-worker",
            publicUrl: "http://127.0.0.1:1",
            engineId: "pf",
            capacity: 10,
            heartbeatAt: new Date(0),
          },
        });
        const row = pooledSessionData("bridge-basics");
        await tx.labSession.create({ data: { ...row, status: Status.ready, workerId: stale.id } });
        expect(await counted()).toBe(2);
        // Unplaced and starting (no worker was live when it was made) counts: a worker takes its job.
        await tx.labSession.create({ data: { ...row, status: Status.queued } });
        expect(await counted()).toBe(3);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  }, 30_000);

  it("replaces its sessions when the lab's file changed: the old ones stop, new ones carry the new lab", async () => {
    const old = (await pooled()).map((r) => r.id);
    expect(old).toHaveLength(2);
    const yaml = readFileSync(labFile, "utf8");
    if (!yaml.includes("title: Bridge basics\n")) throw new Error("the fixture lab's title changed: update this test");
    writeFileSync(labFile, yaml.replace("title: Bridge basics\n", "title: Bridge basics, edited\n"));
    reloadCatalog();
    const newHash = sessionLabColumns(findLab("bridge-basics")!).labHash;
    const fresh = await poolReady(2, newHash);
    expect(fresh.map((r) => r.id).filter((id) => old.includes(id))).toEqual([]);
    for (const id of old) expect(await waitForStatus(id, [Status.stopped])).toMatchObject({ endReason: "expired" });
    // The claimed session keeps its lab (and runs on).
    expect((await db().labSession.findUniqueOrThrow({ where: { id: first.id } })).status).toBe(Status.ready);

    const next = await learner();
    const view = await next.api.session.start({ labSlug: "bridge-basics" });
    expect(view).toMatchObject({ id: fresh[0]!.id, status: Status.ready, labTitle: "Bridge basics, edited" });
  }, 90_000);

  it("counts against the worker's capacity: the refill stops at it, a start is not placed over it, the pool gives way to it", async () => {
    // Two claimed sessions and one pooled: 6 of 6 containers. The pool wants one more and gets none.
    await eventually("the pool to settle at 1", async () => (await pooled()).length === 1 && (await plannedLoad()) === CAPACITY);
    expect(await worker.refillPools()).toMatchObject({
      created: [],
      stoppedBecause: expect.stringMatching(/^Every lab host is full/),
    });
    const [left] = await pooled();

    // A cold start of another lab finds no room: it waits in line, on no worker, and the pooled session
    // is released in the same transaction (releasePooled), so its teardown makes the room.
    const late = await learner();
    const view = await late.api.session.start({ labSlug: "none" });
    expect(view.status).toBe(Status.waiting);
    expect(await db().labSession.findUniqueOrThrow({ where: { id: view.id } })).toMatchObject({ workerId: null });
    expect(await db().labSession.findUniqueOrThrow({ where: { id: left!.id } })).toMatchObject({
      status: expect.stringMatching(new RegExp(`^(${Status.stopping}|${Status.stopped})$`)),
      statusReason: RELEASED_REASON,
    });
    expect(await plannedLoad()).toBeLessThanOrEqual(CAPACITY);

    // The learner's lab starts by itself in the freed place; the refill did not take it first.
    await waitForStatus(view.id, [Status.ready], 60_000);
    expect(await pooled()).toEqual([]);
    expect(await plannedLoad()).toBe(CAPACITY);
    expect(await worker.refillPools()).toMatchObject({
      created: [],
      stoppedBecause: expect.stringMatching(/^Every lab host is full/),
    });
  }, 90_000);

  it("makes nothing while a learner waits in line for a place", async () => {
    // The worker is full (the previous test) and the pool empty: a lab that fits the worker but not its
    // free room stays in line for this test (one bigger than the worker would be refused, never queued).
    expect(await plannedLoad()).toBe(CAPACITY);
    expect(await pooled()).toEqual([]);
    const lab = findLab("none")!;
    const waiting = await db().labSession.create({
      data: {
        labSlug: lab.slug,
        ...sessionLabColumns(lab),
        ownerId: "pool-test-waiting",
        status: Status.waiting,
        waitingSince: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    try {
      expect(await worker.refillPools()).toMatchObject({ skipped: "waiting", created: [] });
    } finally {
      await db().labSession.delete({ where: { id: waiting.id } });
    }
  }, 30_000);
});
