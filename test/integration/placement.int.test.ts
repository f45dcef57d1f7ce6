// Placement on lab hosts (src/core/workers/): the registry's liveness by the database's clock, the
// least-loaded live worker with room, the refusal when every host is full, and what placement means
// for a start (its job on the placed worker's queue) and a terminal token (its worker's URL). Worker
// rows are written directly: no worker process runs in this file (the two-engine test runs real ones).
import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { findLab } from "~/core/labs/catalog";
import { sessionContainerCount } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { placeSession } from "~/core/workers/placement";
import { createWorkerQueues, queueName } from "~/core/workers/queues";
import { heartbeat, liveWorkers, markDraining, markStopped, registerWorker, workerById } from "~/core/workers/registry";
import type { SessionStatus } from "~/protocol/sessionStatus";
import { webEnv } from "~/server/env";
import { getBoss } from "~/server/webBoss";
import { db, learner } from "../support/harness";

const STALE = 15;

/** A registered worker with this load at its last heartbeat. */
async function worker(id: string, options: { containers?: number; capacity?: number; publicUrl?: string } = {}) {
  await registerWorker(db(), {
    id,
    publicUrl: options.publicUrl ?? `http://${id}.test:3001`,
    engineId: `engine-${id}`,
    capacity: options.capacity ?? 400,
  });
  expect(await heartbeat(db(), id, { containers: options.containers ?? 0, terminals: 0 })).toBe(true);
}

/** Its last heartbeat `seconds` ago, by the database's clock. */
async function silentFor(id: string, seconds: number) {
  await db()
    .$executeRaw`UPDATE "Worker" SET "heartbeatAt" = (now() AT TIME ZONE 'UTC') - make_interval(secs => ${seconds}::double precision) WHERE "id" = ${id}`;
}

/** Session rows of a lab on a worker, written directly (nothing provisions them). */
async function sessionsOn(
  workerId: string | null,
  labSlug: string,
  count: number,
  status: SessionStatus,
  ownerId = "placement-owner",
) {
  const lab = findLab(labSlug)!;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = await db().labSession.create({
      data: { labSlug, ...sessionLabColumns(lab), ownerId, status, workerId, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    ids.push(row.id);
  }
  return ids;
}

const place = (needed: number, exclude?: string[]) =>
  db().$transaction((tx) => placeSession(tx, { needed, staleSeconds: STALE, exclude }));

beforeEach(async () => {
  await db().labSession.deleteMany({});
  await db().worker.deleteMany({});
});

describe("the registry", () => {
  it("counts a worker live while its heartbeat is recent and it is neither draining nor stopped", async () => {
    await worker("w-live", { containers: 7 });
    await worker("w-stale");
    await silentFor("w-stale", STALE + 1);
    await worker("w-draining");
    await markDraining(db(), "w-draining");
    await worker("w-stopped");
    await markStopped(db(), "w-stopped");
    const live = await liveWorkers(db(), STALE);
    expect(live.map((w) => [w.id, w.containers, w.capacity])).toEqual([["w-live", 7, 400]]);

    // A heartbeat of a stopped worker writes nothing (it registers again); registering makes it live.
    expect(await heartbeat(db(), "w-stopped", { containers: 1, terminals: 0 })).toBe(false);
    expect(await heartbeat(db(), "never-registered", { containers: 1, terminals: 0 })).toBe(false);
    await worker("w-stopped", { containers: 3, publicUrl: "http://moved.test:4000" });
    await worker("w-draining");
    expect((await liveWorkers(db(), STALE)).map((w) => w.id)).toEqual(["w-draining", "w-live", "w-stopped"]);
    const again = await workerById(db(), "w-stopped");
    expect(again).toMatchObject({ publicUrl: "http://moved.test:4000", containers: 3, draining: false, stoppedAt: null });
  });
});

describe("placeSession", () => {
  it("picks the least loaded live worker: heartbeat containers plus the planned containers of its starting sessions", async () => {
    await worker("w-a", { containers: 10 });
    await worker("w-b", { containers: 3 });
    expect(await place(2)).toBe("w-b");
    // 5 bridge-basics sessions starting on w-b (2 containers each): 3 + 10 = 13 > 10.
    const bridge = sessionContainerCount(findLab("bridge-basics")!);
    expect(bridge).toBe(2);
    await sessionsOn("w-b", "bridge-basics", 3, "QUEUED");
    await sessionsOn("w-b", "bridge-basics", 2, "PROVISIONING");
    expect(await place(2)).toBe("w-a");
    // Running sessions are in the heartbeat's count, not counted again (w-a: 10 at its heartbeat,
    // 2 running sessions plan 4), and stopped ones are gone.
    await sessionsOn("w-a", "bridge-basics", 2, "READY");
    await sessionsOn("w-a", "bridge-basics", 5, "STOPPED");
    expect(await place(2)).toBe("w-a");
  });

  it("counts at least the planned containers of a worker's sessions not yet stopped: one that became READY since its heartbeat is not in that count yet", async () => {
    await worker("w-a", { containers: 0 });
    await worker("w-b", { containers: 3 });
    // 4 sessions of w-a became READY (and 1 is stopping) after its last heartbeat, which counted 0: 10 planned.
    await sessionsOn("w-a", "bridge-basics", 4, "READY");
    await sessionsOn("w-a", "bridge-basics", 1, "STOPPING");
    expect(await place(2)).toBe("w-b");
    await db().worker.update({ where: { id: "w-a" }, data: { capacity: 11 } });
    await db().worker.update({ where: { id: "w-b" }, data: { capacity: 4 } });
    // w-a: 10 + 2 > 11, w-b: 3 + 2 > 4: full, although w-a's heartbeat said 0.
    await expect(place(2)).rejects.toThrow(
      /Every lab host is full: this lab needs 2 containers and the roomiest host has 1 of (11|4) free/,
    );
  });

  it("breaks ties by the lowest id", async () => {
    await worker("w-c");
    await worker("w-b");
    await worker("w-d");
    expect(await place(9)).toBe("w-b");
  });

  it("skips a worker without room for the lab's containers, even when it is the least loaded", async () => {
    await worker("w-small", { containers: 5, capacity: 10 });
    await worker("w-big", { containers: 50, capacity: 400 });
    expect(await place(5)).toBe("w-small"); // 5 + 5 <= 10: room exactly
    expect(await place(6)).toBe("w-big");
  });

  it("skips stale, draining, stopped and excluded workers", async () => {
    await worker("w-1");
    await worker("w-2");
    await worker("w-3");
    await worker("w-4", { containers: 100 });
    await silentFor("w-1", STALE + 5);
    await markDraining(db(), "w-2");
    await markStopped(db(), "w-3");
    expect(await place(2)).toBe("w-4");
    expect(await place(2, ["w-4"])).toBeNull();
  });

  it("answers null (unplaced: the shared queue) when no worker is live", async () => {
    expect(await place(2)).toBeNull();
    await worker("w-gone");
    await silentFor("w-gone", STALE + 1);
    expect(await place(2)).toBeNull();
  });

  it("refuses with UNAVAILABLE, saying the roomiest host's room, when every live worker is full", async () => {
    await worker("w-a", { containers: 18, capacity: 20 });
    await worker("w-b", { containers: 10, capacity: 20 });
    await sessionsOn("w-b", "bridge-basics", 2, "QUEUED"); // w-b: 14 of 20, 6 free
    const refusal = await place(9).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe("UNAVAILABLE");
    expect((refusal as AppError).message).toBe(
      "Every lab host is full: this lab needs 9 containers and the roomiest host has 6 of 20 free. Please try again in a few minutes.",
    );
  });

  it("places parallel starts one after another (the platform lock): none overfills a worker", async () => {
    await worker("w-a", { capacity: 10 });
    await worker("w-b", { capacity: 10 });
    const lab = findLab("bridge-basics")!;
    // Twelve starts at once, each placing and writing its QUEUED row in one transaction: 2 containers each.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        db().$transaction(
          async (tx) => {
            const workerId = await placeSession(tx, { needed: 2, staleSeconds: STALE });
            await tx.labSession.create({
              data: {
                labSlug: lab.slug,
                ...sessionLabColumns(lab),
                ownerId: "parallel",
                workerId,
                expiresAt: new Date(Date.now() + 3_600_000),
              },
            });
            return workerId;
          },
          { maxWait: 20_000, timeout: 20_000 },
        ),
      ),
    );
    const placed = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    expect(placed.filter((id) => id === "w-a")).toHaveLength(5);
    expect(placed.filter((id) => id === "w-b")).toHaveLength(5);
    expect(refused).toHaveLength(2);
    for (const message of refused)
      expect(message).toMatch(/^Every lab host is full: this lab needs 2 containers and the roomiest host has 0 of 10 free\./);
  });
});

describe("a start", () => {
  it("is placed on the live worker and its provision job is on that worker's queue; with none live, unplaced on the shared queue", async () => {
    const boss = await getBoss(process.env.DATABASE_URL!);
    await createWorkerQueues(boss, "w-start");
    const jobQueue = async (sessionId: string) =>
      (await db().$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.job WHERE data->>'sessionId' = ${sessionId}`).map(
        (j) => j.name,
      );

    const alice = await learner();
    const unplaced = await alice.api.session.start({ labSlug: "bridge-basics" });
    expect((await db().labSession.findUniqueOrThrow({ where: { id: unplaced.id } })).workerId).toBeNull();
    expect(await jobQueue(unplaced.id)).toEqual([queueName("provisionSession", null)]);

    await worker("w-start");
    const bob = await learner();
    const placed = await bob.api.session.start({ labSlug: "bridge-basics" });
    expect((await db().labSession.findUniqueOrThrow({ where: { id: placed.id } })).workerId).toBe("w-start");
    expect(await jobQueue(placed.id)).toEqual(["session-provision/w-start"]);

    // Its stop goes to the same worker's queue.
    await bob.api.session.stop({ sessionId: placed.id });
    expect((await jobQueue(placed.id)).sort()).toEqual(["session-provision/w-start", "session-teardown/w-start"]);

    // Every live worker full: the start waits in line (WAITING), on no worker and with no job (src/core/queue/).
    await heartbeat(db(), "w-start", { containers: 399, terminals: 0 });
    const carol = await learner();
    const waiting = await carol.api.session.start({ labSlug: "bridge-basics" });
    expect(waiting).toMatchObject({ status: "WAITING", line: { position: 1 } });
    expect((await db().labSession.findUniqueOrThrow({ where: { id: waiting.id } })).workerId).toBeNull();
    expect(await jobQueue(waiting.id)).toEqual([]);
  });
});

describe("a session whose worker never made its queues", () => {
  it("still gets its jobs (a web upgraded before its workers): the queue is made on the first send", async () => {
    await worker("w-noqueues");
    const dana = await learner();
    const placed = await dana.api.session.start({ labSlug: "bridge-basics" });
    expect((await db().labSession.findUniqueOrThrow({ where: { id: placed.id } })).workerId).toBe("w-noqueues");
    await dana.api.session.stop({ sessionId: placed.id });
    const names = (
      await db().$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.job WHERE data->>'sessionId' = ${placed.id}`
    ).map((j) => j.name);
    expect(names.sort()).toEqual(["session-provision/w-noqueues", "session-teardown/w-noqueues"]);
  });
});

describe("a terminal token", () => {
  it("names the gateway of the session's worker; the web's WORKER_PUBLIC_URL when its worker is not registered", async () => {
    await worker("w-one", { publicUrl: "https://lab1.example.test" });
    await worker("w-two", { publicUrl: "https://lab2.example.test:8443" });
    const alice = await learner();
    const urlOf = async (workerId: string | null) => {
      const [sessionId] = await sessionsOn(workerId, "bridge-basics", 1, "READY", alice.id);
      return (await alice.api.session.terminalToken({ sessionId: sessionId!, terminal: "busybox1" })).url;
    };
    expect(await urlOf("w-one")).toBe("https://lab1.example.test");
    expect(await urlOf("w-two")).toBe("https://lab2.example.test:8443");
    expect(webEnv().WORKER_PUBLIC_URL).toMatch(/^http/);
    expect(await urlOf("w-unregistered")).toBe(webEnv().WORKER_PUBLIC_URL);
    expect(await urlOf(null)).toBe(webEnv().WORKER_PUBLIC_URL);
    // Re-registered elsewhere (a new public URL): the next token follows it.
    await worker("w-one", { publicUrl: "https://lab1-new.example.test" });
    expect(await urlOf("w-one")).toBe("https://lab1-new.example.test");
  });
});
