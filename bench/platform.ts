// A whole platform for benchmarks: a fresh embedded PostgreSQL (.data/bench), migrations and a
// worker, in this process or (workerProcess) in its own, so the load generator is not measured
// with it; sessions are created READY and provisioned directly.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createDb } from "~/core/db";
import { findLab } from "~/core/labs/catalog";
import { newSessionParams, type SessionParams } from "~/core/sessions/sessionParams";
import { Status } from "~/protocol/sessionStatus";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres";
import { startWorker } from "../worker/app";
import { loadWorkerConfig } from "../worker/config";
import { installationEngine } from "../test/support/engine";
import { FIXTURE_LABS_DIR } from "../test/support/fixtureLabs";

// Benchmarks start the fixture labs (their containers started in advance), not the curriculum.
process.env.LABS_DIR ??= FIXTURE_LABS_DIR;

const root = path.resolve(import.meta.dirname, "..");

/** `pid`: the worker's child process (tsx), when it runs in its own process. */
type BenchWorker = { port: number; stop: () => Promise<void>; pid?: number };

/** `tsx worker/main.ts` as a child process; resolves with its gateway port once it takes jobs. */
function spawnWorker(env: NodeJS.ProcessEnv): Promise<BenchWorker> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["worker/main.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`the worker exited with ${code} before it answered:\n${out}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /terminal gateway on http:\/\/[^:]+:(\d+)/.exec(out)?.[1];
      if (!port) return;
      child.stdout.removeAllListeners("data").resume();
      resolve({
        port: Number(port),
        ...(child.pid !== undefined ? { pid: child.pid } : {}),
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}

/** `workerEnv`: added to the worker child's environment (e.g. NODE_OPTIONS=--cpu-prof). */
export async function startBenchPlatform(options: { workerProcess?: boolean; workerEnv?: Record<string, string> } = {}) {
  const secret = randomUUID() + randomUUID();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, ".data", "bench", "postgres"), port: 54359, fresh: true });
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: pg.url },
    stdio: "pipe",
  });
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TERMINAL_TOKEN_SECRET: secret,
    WORKER_PORT: "0",
    WORKER_HOST: "127.0.0.1",
    WORKER_ID: "bench",
    CONTAINER_PIDS_LIMIT: "256",
    // Sessions are written READY before their containers are made (below): a periodic reconcile in
    // between would mark one lost (seen at 200 terminals, where provisioning takes minutes).
    RECONCILE_INTERVAL_SECONDS: "86400",
  };
  const config = loadWorkerConfig(env);
  const worker: BenchWorker = options.workerProcess
    ? await spawnWorker({ ...env, ...options.workerEnv })
    : await startWorker(config);
  const db = createDb(pg.url);
  // The worker's installation: the sessions provisioned here are the ones it adopts.
  const provisioner = await installationEngine(db, env);
  const sessions: string[] = [];

  return {
    secret,
    url: pg.url,
    worker,
    db,
    provisioner,
    /** A READY session of `slug` owned by `owner`, its containers running. */
    async session(slug: string, owner: string, params: SessionParams = newSessionParams()) {
      const lab = findLab(slug);
      if (!lab) throw new Error(`no lab ${slug}`);
      const sessionId = randomUUID();
      sessions.push(sessionId);
      await db.labSession.create({
        data: {
          id: sessionId,
          labSlug: slug,
          ownerId: owner,
          status: Status.ready,
          expiresAt: new Date(Date.now() + 3600_000),
          workerId: "bench",
          params,
        },
      });
      await provisioner.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });
      return { sessionId, lab, params };
    },
    async stop() {
      await worker.stop();
      for (const id of sessions) await provisioner.teardown(id);
      await db.$disconnect();
      await pg.stop();
    },
  };
}
