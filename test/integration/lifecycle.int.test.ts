// Lifecycle you can trust: a worker killed mid-provision, orphans, expiry, and many cycles.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { expireSessions } from "~/core/sessions/expireSessions";
import { getBoss } from "~/server/webBoss";
import { jobs } from "~/core/jobs/definitions";
import type { RunningWorker } from "../../worker/app";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { LABEL_SESSION } from "../../worker/provisioner/docker/names";
import { installationEngine } from "../support/engine";
import { inPieces } from "../support/engineTurns";
import { db, eventually, learner, testWorker, waitForStatus } from "../support/harness";

const root = path.resolve(import.meta.dirname, "../..");
const docker = createDockerClient(process.env.DOCKER_HOST);
const sessions: string[] = [];

/** This file's database's engine: what it provisions, this file's workers reconcile. */
const provisioner = () => installationEngine(db());

// Each test starts the workers it needs; none outlives its test.
const running = new Set<RunningWorker>();
async function startWorker(overrides: Record<string, string> = {}) {
  const worker = await testWorker(overrides);
  running.add(worker);
  return worker;
}
async function stopWorker(worker: RunningWorker) {
  running.delete(worker);
  await worker.stop();
}
afterEach(async () => {
  await Promise.all([...running].map(stopWorker));
});

afterAll(async () => {
  const p = await provisioner();
  for (const id of sessions) await p.teardown(id);
});

/** Everything on the engine whose name carries the session id, labelled or not. */
async function objectsNamed(sessionId: string) {
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: { name: [sessionId] } }),
    docker.listNetworks({ filters: { name: [sessionId] } }),
  ]);
  return [
    ...containers.map((c) => ({ name: c.Names[0]!, labels: c.Labels })),
    ...networks.map((n) => ({ name: n.Name, labels: n.Labels ?? {} })),
  ];
}

describe("a worker killed mid-provision", () => {
  it("is finished by the restarted worker, with no duplicate, unlabelled or orphaned object", async () => {
    const workerId = `kill-test-${randomUUID().slice(0, 8)}`;
    // One process (not the tsx wrapper, whose child would survive the kill).
    const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
      cwd: root,
      env: { ...process.env, WORKER_ID: workerId, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const alice = await learner();
    const session = await alice.api.session.start({ labSlug: "network-modes" });
    sessions.push(session.id);

    // Kill it as soon as the first of the session's containers exists, long before the last.
    await eventually(
      "the spawned worker to create the session's first container",
      async () => (await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${session.id}`] } })).length > 0,
      { intervalMs: 10 },
    );
    child.kill("SIGKILL");
    await exited;
    const partial = await objectsNamed(session.id);
    const row = await db().labSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.status).toBe("PROVISIONING");
    expect(row.workerId).toBe(workerId);
    expect(partial.length).toBeLessThan(10); // really mid-way: 2 networks + 9 containers when done

    await startWorker({ WORKER_ID: workerId });
    const done = await waitForStatus(session.id, ["READY", "FAILED"]);
    expect(done.status).toBe("READY");
    const objects = await objectsNamed(session.id);
    expect(objects).toHaveLength(11);
    expect(new Set(objects.map((o) => o.name)).size).toBe(11);
    for (const o of objects) expect(o.labels[LABEL_SESSION], o.name).toBe(session.id);
  });
});

describe("reconciliation and expiry", () => {
  it("removes objects of sessions the database does not know, and marks sessions whose containers vanished", async () => {
    const p = await provisioner();
    const orphan = randomUUID();
    sessions.push(orphan);
    await p.provision({
      sessionId: orphan,
      networks: [],
      containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
      labDns: false,
    });

    const alice = await learner();
    const lost = await alice.api.session.start({ labSlug: "bridge-basics" });
    sessions.push(lost.id);
    const first = await startWorker();
    await waitForStatus(lost.id, ["READY"]);
    await stopWorker(first);
    await p.teardown(lost.id); // the engine loses the session's containers behind the platform's back

    await startWorker(); // reconciles before it takes jobs
    expect(await p.listSessionObjects(orphan)).toEqual({ containers: [], networks: [] });
    const row = await db().labSession.findUniqueOrThrow({ where: { id: lost.id } });
    expect(row.status).toBe("FAILED");
    expect(row.statusReason).toMatch(/containers are gone/);
  });

  it("stops expired sessions and removes their containers; the reaper runs on a schedule", async () => {
    await startWorker();
    const alice = await learner();
    const session = await alice.api.session.start({ labSlug: "bridge-basics" });
    sessions.push(session.id);
    await waitForStatus(session.id, ["READY"]);
    await db().labSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const boss = await getBoss(process.env.DATABASE_URL!);
    expect(await expireSessions({ db: db(), boss })).toEqual([session.id]);
    await waitForStatus(session.id, ["STOPPED"]);
    expect((await alice.api.session.get({ sessionId: session.id })).statusReason).toBe(
      "The session's time ran out, so it ended.",
    );
    expect(await provisioner().then((p) => p.listSessionObjects(session.id))).toEqual({ containers: [], networks: [] });
    expect((await boss.getSchedules(jobs.reapSessions.name)).map((s) => s.cron)).toEqual(["* * * * *"]);
  });
});

describe("200 create/destroy cycles", () => {
  it("leave zero containers and networks behind", async () => {
    const p = await provisioner();
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const queue = [...ids];
    // Four at a time (more only queue up in the engine), each cycle a turn of its own.
    await inPieces(4, async (turn) => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const sessionId = id;
        await turn(async () => {
          await p.provision({
            sessionId,
            networks: [],
            containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
            labDns: false,
          });
          await p.teardown(sessionId);
        });
      }
    });
    const left = new Set(await p.listSessionsWithObjects());
    expect(ids.filter((id) => left.has(id))).toEqual([]);
    const named = await Promise.all(ids.slice(0, 20).map(objectsNamed));
    expect(named.flat()).toEqual([]);
  }, 600_000);
});
