// Several lab hosts (issue 13, Done when, item 1): two workers, each owning its own Docker engine
// (the machine's, and a second dockerd this file starts in a network namespace of its own), and
// one web (in this process) against one PostgreSQL. The workers are real processes, so they can be
// killed and signalled and come back with the same WORKER_ID.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Provisioner } from "~/core/provisioner/port";
import { Prisma } from "~/generated/prisma/client";
import { installationEngine } from "../support/engine";
import {
  connectTerminal,
  db,
  eventually,
  learner,
  satisfying,
  waitForStatus,
  within,
  type TerminalClient,
} from "../support/harness";
import { startSecondEngine, type SecondEngine } from "../support/secondEngine";
import { run } from "../support/typing";
import { startWorkerProcess, type WorkerProcess } from "../support/workerProcess";

// The web judges the workers by the same clock as they judge each other (src/core/settings.ts).
const STALE_SECONDS = 4;
process.env.WORKER_STALE_SECONDS = String(STALE_SECONDS);

/** Worker ids sort in this order: placement breaks ties by the lowest id. */
const A = `mw-a-${randomUUID().slice(0, 6)}`;
const B = `mw-b-${randomUUID().slice(0, 6)}`;
/**
 * How long each worker waits for the other before failing its running sessions (the sweeper's
 * setting decides): A gives up on B after 12 s (the grace test kills B); B waits longer for A, whose
 * drain and restart (TypeScript compiled at start, on a busy machine) must not pass for a loss.
 */
const GRACE_SECONDS = { [A]: 12, [B]: 90 };
process.env.WORKER_GRACE_SECONDS = String(GRACE_SECONDS[A]);

let engineB: SecondEngine | undefined;
const workers = new Map<string, WorkerProcess>();
/** Each worker's engine as this database's installation sees it. */
const engines = new Map<string, Provisioner>();
const sessions: string[] = [];
const open: TerminalClient[] = [];

type Learner = Awaited<ReturnType<typeof learner>>;

const worker = (id: string) => workers.get(id)!;
const engineOf = (id: string) => engines.get(id)!;
const other = (id: string) => (id === A ? B : A);

beforeAll(async () => {
  engineB = await startSecondEngine();
  console.log(
    `[multi-worker] second engine ${engineB.engineId}: started in ${Math.round(engineB.startMs)} ms, images loaded in ${Math.round(engineB.loadMs)} ms`,
  );
  const [a, b] = await Promise.all([
    // The machine's engine, shared with other test files: the default pools (the engine keeps
    // networks apart), and the machine's lab firewall.
    startWorkerProcess({
      id: A,
      subnetPool: "10.213.0.0/16",
      bridgePool: "10.0.0.0/8",
      env: { WORKER_GRACE_SECONDS: String(GRACE_SECONDS[A]) },
    }),
    // LAB_FIREWALL off: this worker runs in the machine's namespace, where the second engine's
    // bridges are out of its sight (the firewall insists on seeing them); that namespace holds only
    // lo and its lab bridges, so there is nothing there to shield or to reach.
    startWorkerProcess({
      id: B,
      dockerHost: engineB.dockerHost,
      subnetPool: "172.23.0.0/16",
      bridgePool: "172.24.0.0/13",
      env: { LAB_FIREWALL: "off", WORKER_GRACE_SECONDS: String(GRACE_SECONDS[B]) },
    }),
  ]);
  workers.set(A, a).set(B, b);
  console.log(
    `[multi-worker] workers took jobs ${Math.round(a.startMs())} ms (${A}) and ${Math.round(b.startMs())} ms (${B}) after their start`,
  );
  engines.set(A, await installationEngine(db()));
  engines.set(B, await installationEngine(db(), { ...process.env, DOCKER_HOST: engineB.dockerHost }));
}, 120_000);

// A test that ends with a worker down or stuck (a failed one included) does not take the next one down too.
beforeEach(async () => {
  for (const w of workers.values()) {
    if (w.running() && (await isLive(w.id))) continue;
    if (w.running()) await w.kill("SIGKILL");
    await w.restart();
  }
  await bothLive();
}, 90_000);

afterEach((context) => {
  for (const client of open.splice(0)) client.close();
  if (context.task.result?.state === "fail") {
    for (const w of workers.values()) console.error(`[multi-worker] ${w.id}'s output:\n${w.output().slice(-20_000)}`);
  }
});

afterAll(async () => {
  // Every step runs, whichever fails: workers first (they hold the engines), the shared engine's
  // objects of this file's sessions (this installation's only), then the second engine.
  const main = engines.get(A);
  const steps: [string, () => Promise<unknown>][] = [
    ...[...workers.values()].map((w): [string, () => Promise<unknown>] => [`stopping ${w.id}`, () => w.dispose()]),
    [
      "removing the sessions' objects on the machine's engine",
      async () => {
        for (const id of new Set([...sessions, ...((await main?.listSessionsWithObjects()) ?? [])])) await main?.teardown(id);
      },
    ],
    ["stopping the second engine", async () => engineB?.stop()],
  ];
  const problems: string[] = [];
  for (const [what, work] of steps) await work().catch((error: Error) => problems.push(`${what}: ${error.message}`));
  if (problems.length) throw new Error(problems.join("\n"));
}, 120_000);

/** Registered, with a heartbeat within the stale time, not draining, not stopped. */
const LIVE = Prisma.sql`"heartbeatAt" > (now() AT TIME ZONE 'UTC') - make_interval(secs => ${STALE_SECONDS})
  AND NOT "draining" AND "stoppedAt" IS NULL`;

async function isLive(id: string) {
  const rows = await db().$queryRaw<{ id: string }[]>`SELECT "id" FROM "Worker" WHERE "id" = ${id} AND ${LIVE}`;
  return rows.length === 1;
}

function bothLive() {
  return eventually(
    "both workers to be registered and live",
    satisfying(
      () => db().$queryRaw<{ id: string }[]>`SELECT "id" FROM "Worker" WHERE ${LIVE} ORDER BY "id"`,
      (rows) => rows.length === 2,
    ),
    { timeoutMs: 20_000 },
  );
}

/**
 * A new learner's READY session of bridge-basics on `host`. Placement is the web's to decide: a
 * session placed on the other worker adds to its load, so one of the next goes to `host` (the other
 * may still carry earlier tests' sessions, so this allows several). The diverted ones are stopped.
 */
async function readySessionOn(host: string) {
  await bothLive();
  const diverted: { who: Learner; sessionId: string }[] = [];
  try {
    for (let tries = 0; tries < 12; tries++) {
      const who = await learner();
      const sessionId = await start(who, "bridge-basics");
      if ((await workerOf(sessionId)) !== host) {
        diverted.push({ who, sessionId });
        continue;
      }
      await waitForStatus(sessionId, ["READY"]);
      return { who, sessionId };
    }
    const load = await db().$queryRaw`SELECT "id", "containers", "draining", "stoppedAt" FROM "Worker" ORDER BY "id"`;
    throw new Error(`twelve sessions in a row were not placed on ${host}; workers: ${JSON.stringify(load)}`);
  } finally {
    await Promise.all(diverted.map(({ who, sessionId }) => stopSession(who, sessionId)));
  }
}

async function stopSession(who: Learner, sessionId: string) {
  await who.api.session.stop({ sessionId });
  await waitForStatus(sessionId, ["STOPPED"]);
}

async function start(who: Learner, labSlug: string) {
  const { id } = await who.api.session.start({ labSlug });
  sessions.push(id);
  return id;
}

const workerOf = async (sessionId: string) =>
  (await db().labSession.findUniqueOrThrow({ where: { id: sessionId }, select: { workerId: true } })).workerId;

/** The session's objects on each worker's engine. */
async function objectsOn(sessionId: string) {
  const [a, b] = await Promise.all([engineOf(A).listSessionObjects(sessionId), engineOf(B).listSessionObjects(sessionId)]);
  return { [A]: [...a.containers, ...a.networks], [B]: [...b.containers, ...b.networks] };
}

/** A terminal opened as the browser does: a token from the web, then the worker at the URL it names. */
async function openTerminal(who: Learner, sessionId: string, terminal = "host") {
  const issued = await who.api.session.terminalToken({ sessionId, terminal });
  const client = await connectTerminal(Number(new URL(issued.url).port), { token: issued.token, sessionId, terminal });
  open.push(client);
  return { client, url: issued.url, token: issued.token };
}

async function echoes(client: TerminalClient, tag: string) {
  client.type(`echo ${tag}-$((6*7))\n`);
  await client.waitForOutput(new RegExp(`${tag}-42\\r\\n`), 15_000);
}

// Generous bounds: a busy machine makes every step slower (on an idle one the file takes about a minute).
describe("two lab hosts", { timeout: 180_000 }, () => {
  const spread: { who: Learner; id: string }[] = [];

  it("places sessions on both workers, each on its own engine", async () => {
    const rows = await db().worker.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((w) => [w.id, w.publicUrl])).toEqual([
      [A, worker(A).publicUrl],
      [B, worker(B).publicUrl],
    ]);
    expect(rows[1]!.engineId).toBe(engineB!.engineId);
    expect(rows[0]!.engineId).not.toBe(engineB!.engineId);

    for (let i = 0; i < 4; i++) {
      const who = await learner();
      spread.push({ who, id: await start(who, "bridge-basics") });
    }
    await Promise.all(spread.map(({ id }) => waitForStatus(id, ["READY"])));
    const placed = await Promise.all(spread.map(({ id }) => workerOf(id)));
    // Least loaded first (ties to the lowest id), counting the sessions still starting: A, B, A, B.
    expect(placed.toSorted()).toEqual([A, A, B, B]);
    for (const [i, { id }] of spread.entries()) {
      const objects = await objectsOn(id);
      expect(objects[placed[i]!], `${id} on its worker's engine`).toHaveLength(3); // default bridge, host, busybox1
      expect(objects[other(placed[i]!)], `${id} on the other engine`).toEqual([]);
    }
  });

  it("serves terminals, checks and the docker command from each session's own worker", async () => {
    expect(spread).toHaveLength(4);
    const placedOn = async (workerId: string) => {
      for (const s of spread) if ((await workerOf(s.id)) === workerId) return s;
      throw new Error(`no session was placed on ${workerId}`);
    };
    for (const id of [A, B]) {
      const { who, id: sessionId } = await placedOn(id);
      const { client, url, token } = await openTerminal(who, sessionId);
      expect(url, `the terminal URL of a session on ${id}`).toBe(worker(id).publicUrl);
      await echoes(client, `on-${id}`);

      // The other worker refuses a token for a session that is not its own.
      await expect(
        connectTerminal(worker(other(id)).port, { token, sessionId, terminal: "host" }),
        `${other(id)} opening a terminal of a session on ${id}`,
      ).rejects.toThrow(/runs on another lab host/);

      // The docker command in the host terminal talks to the session's endpoint on its worker.
      const ps = await run(client, "docker ps --format '{{.Names}}'");
      expect(ps.exitCode, ps.output).toBe(0);
      expect(ps.output).toMatch(/^busybox1$/m);
      expect(ps.output).not.toMatch(/wireroom-/);

      // A check runs where the containers are: it passes only on the session's own engine.
      expect((await run(client, "echo null > /tmp/none-driver")).exitCode).toBe(0);
      await who.api.grading.check({ sessionId, stepId: "builtin-networks" });
      const progress = await eventually(
        `the check of the session on ${id} to pass`,
        satisfying(
          () => who.api.grading.progress({ sessionId }),
          (p) => !!p.steps[0]!.checks[0]!.result,
        ),
      );
      expect(progress.steps[0]!.checks[0]!.result, `the check on ${id}`).toMatchObject({ passed: true });
    }

    // Stopping goes to each session's worker, which removes its objects from its own engine.
    await Promise.all(spread.map(({ who, id }) => stopSession(who, id)));
    for (const { id } of spread) expect(await objectsOn(id)).toEqual({ [A]: [], [B]: [] });
  });

  it("finishes on the other worker a session whose worker was killed mid-provision, and leaves no orphan once it returns", async () => {
    const who = await learner();
    const sessionId = await start(who, "network-modes");
    const first = await workerOf(sessionId);
    expect(first, "placed at start").not.toBeNull();
    const victim = first!;
    const survivor = other(victim);

    // Kill it as soon as its engine holds some of the session's objects, long before the last.
    await eventually(
      `${victim} to create the session's first objects`,
      async () => (await objectsOn(sessionId))[victim]!.length > 0,
      { intervalMs: 10, timeoutMs: 30_000 },
    );
    expect(await worker(victim).kill("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    expect((await objectsOn(sessionId))[victim]!.length).toBeLessThan(11); // 2 networks + 9 containers when done

    const ready = await waitForStatus(sessionId, ["READY", "FAILED"], 90_000);
    expect(ready.status, ready.statusReason ?? "").toBe("READY");
    expect(ready.workerId).toBe(survivor);

    await worker(victim).restart(); // reconciles with its engine before it takes jobs
    const objects = await objectsOn(sessionId);
    expect(objects[victim], `what ${victim} made before it was killed`).toEqual([]);
    expect(objects[survivor]).toHaveLength(11);
    // No orphan on either engine: every session with objects there is a live one placed there.
    for (const id of [A, B]) {
      const withObjects = await engineOf(id).listSessionsWithObjects();
      const rows = await db().labSession.findMany({
        where: { id: { in: withObjects } },
        select: { id: true, status: true, workerId: true },
      });
      expect(rows.length, `sessions with objects on ${id}'s engine that the database does not know`).toBe(withObjects.length);
      for (const row of rows) expect([row.id, row.status, row.workerId]).toEqual([row.id, "READY", id]);
    }
    // The session works where it runs.
    const { client, url } = await openTerminal(who, sessionId);
    expect(url).toBe(worker(survivor).publicUrl);
    await echoes(client, "moved");

    await stopSession(who, sessionId);
  });

  it("drains a worker on SIGTERM: its terminals are told to resume, and do once it is back", async () => {
    const host = A;
    const { who, sessionId } = await readySessionOn(host);
    const { client } = await openTerminal(who, sessionId);
    await echoes(client, "before");

    const exit = within(
      new Promise<{ reason: string; reopen: boolean; resume?: true }>((resolve) => client.once("exit", resolve)),
      30_000,
      "the terminal's exit",
    );
    const exited = worker(host).kill("SIGTERM");
    await eventually(
      `${host} to be marked draining`,
      async () => (await db().worker.findUniqueOrThrow({ where: { id: host } })).draining,
      { timeoutMs: 10_000 },
    );
    expect(await exit).toMatchObject({ reopen: true, resume: true });
    expect(await exited, `${host}'s exit`).toEqual({ code: 0, signal: null });
    const row = await db().worker.findUniqueOrThrow({ where: { id: host } });
    expect(row.stoppedAt, "stoppedAt after the drain").not.toBeNull();

    await worker(host).restart();
    console.log(`[multi-worker] ${host} restarted in ${Math.round(worker(host).startMs())} ms`);
    const again = await openTerminal(who, sessionId);
    expect(again.url).toBe(worker(host).publicUrl);
    await echoes(again.client, "after");
    const session = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect([session.status, session.workerId]).toEqual(["READY", host]);

    await stopSession(who, sessionId);
  });

  it("fails the running sessions of a worker that does not return within the grace, naming it", async () => {
    const host = B;
    const grace = GRACE_SECONDS[other(host)]!; // the survivor's
    const { who, sessionId } = await readySessionOn(host);
    await worker(host).kill("SIGKILL");
    const killedAt = Date.now();
    const failed = await waitForStatus(sessionId, ["FAILED"], (grace + 30) * 1000);
    expect(Date.now() - killedAt, "failed only after the grace").toBeGreaterThanOrEqual((grace - 1) * 1000);
    expect(failed.statusReason).toContain(host);
    expect(failed.statusReason).toContain(`${grace} s`);
    expect((await who.api.session.get({ sessionId })).status).toBe("FAILED");
  });
});
