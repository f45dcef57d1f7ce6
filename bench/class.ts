// The class benchmark (issue 14): N learners at once, for each N of --steps, against the whole
// platform as it runs in production: the web (`next start`, a production build in .next) and
// the worker(s) as child processes, a fresh embedded PostgreSQL of its own (port 54360,
// .data/bench-class). This process is the load generator: each learner signs up, starts a lab,
// waits READY (a wait in the line counted apart), opens its terminal, types bursts at human pace,
// types the first step's solution, presses Check, submits and stops (bench/class/learner.ts).
// Baselines in the same run: the raw CLI path to a prompt (at min(N, 20) starts at once, before the
// learners) and raw dockerode exec echo (each learner's own bursts on the same container, interleaved).
// CPU and RSS of the web, the workers, PostgreSQL and the engine during each N.
//   flock /tmp/e2e.lock sh -c 'NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build'   (a fresh build first)
//   flock /tmp/bench.lock npm run bench:class -- [--quick] [--learners 300 --steps 1,20,50,100,200,300 --workers 1|2]
//     [--lab none] [--pool none=5] [--max-sessions 40 --max-containers 200 --capacity 400] [--bursts 2 --burst-keys 20]
// Prints the tables, then one JSON line.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "~/core/db";
import { catalog, findLab } from "~/core/labs/catalog";
import { SETTLED, Status } from "~/protocol/sessionStatus";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres";
import { installationEngine } from "../test/support/engine";
import { FIXTURE_LABS_DIR } from "../test/support/fixtureLabs";
import { startWorkerProcess, workerCommand, type WorkerProcess } from "../test/support/workerProcess";
import { runLearner, type LearnerResult } from "./class/learner";
import { parseOptions } from "./class/options";
import { rawCliStart } from "./class/rawCli";
import { breakingPoints, otherCores, stepFigures, tableRows, TARGETS, type StepFigures } from "./class/report";
import { sampleResources, type Group } from "./class/resources";
import { printTable } from "./stats";
import { startWeb } from "./webProcess";

process.env.LABS_DIR ??= FIXTURE_LABS_DIR;
const root = path.resolve(import.meta.dirname, "..");
const options = parseOptions(process.argv.slice(2));
const PG_PORT = 54360;
const RAW_CLI_AT_ONCE = 20;
const SETTLE_TIMEOUT_MS = 180_000;
/** Each worker's address pools: two engines' worth on one machine must not hand out the same subnets. */
const POOLS = [
  { subnetPool: "10.213.0.0/16", bridgePool: "10.0.0.0/8" },
  { subnetPool: "172.23.0.0/16", bridgePool: "172.24.0.0/13" },
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`[bench:class ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** The pid of this process's child that runs with `WORKER_ID=<id>`. */
function workerPid(id: string): number {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${name}/environ`, "utf8").split("\0").includes(`WORKER_ID=${id}`)) return Number(name);
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  throw new Error(`no child process runs worker ${id}`);
}

/** The web's production build: when it was made (a build older than the source measures old code). */
function buildAge(): { builtAt: string; olderThanSource: boolean } {
  const built = statSync(path.join(root, ".next", "BUILD_ID")).mtimeMs;
  const newest = Math.max(
    ...["src", "prisma"].flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.endsWith(".test.ts"))
        .map((e) => statSync(path.join(e.parentPath, e.name)).mtimeMs),
    ),
  );
  return { builtAt: new Date(built).toISOString(), olderThanSource: newest > built };
}

/** `count` raw CLI starts, `atOnce` at a time. */
async function rawCliSamples(lab: NonNullable<ReturnType<typeof findLab>>, count: number, atOnce: number): Promise<number[]> {
  const samples: number[] = [];
  while (samples.length < count) samples.push(...(await Promise.all(Array.from({ length: atOnce }, () => rawCliStart(lab)))));
  return samples;
}

async function main() {
  const lab = findLab(options.lab);
  if (!lab)
    throw new Error(
      `--lab ${options.lab} is not a lab in ${process.env.LABS_DIR}; labs: ${catalog()
        .labs.map((l) => l.slug)
        .join(", ")}`,
    );
  if (!options.steps.length) throw new Error("no step size is at most --learners: nothing to run");
  const build = buildAge();
  if (build.olderThanSource) log(`warning: the web's build (.next, ${build.builtAt}) is older than src/: it runs older code`);

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((error: unknown) => log(`cleanup: ${(error as Error).message}`));
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    const dataDir = path.join(root, ".data", "bench-class", "postgres");
    const pg = await startEmbeddedPostgres({ dataDir, port: PG_PORT, fresh: true });
    cleanups.push(() => pg.stop());
    execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url },
      stdio: "pipe",
    });
    const db = createDb(pg.url);
    cleanups.push(() => db.$disconnect());
    const secret = randomBytes(32).toString("hex");
    const shared = {
      DATABASE_URL: pg.url,
      TERMINAL_TOKEN_SECRET: secret,
      LABS_DIR: process.env.LABS_DIR!,
      SESSION_POOL: options.pool,
      // The platform's caps: the web refuses or queues by them, the workers admit the line within them.
      MAX_ACTIVE_SESSIONS: String(options.maxSessions),
      MAX_ACTIVE_CONTAINERS: String(options.maxContainers),
    };

    const workerRuns = (await workerCommand()).includes("--import") ? "tsx worker/main.ts" : "dist/worker/main.js";
    log(`starting ${options.workers} worker(s) (${workerRuns}) and the web`);
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < options.workers; i++) {
      const worker = await startWorkerProcess({
        id: `class-w${i + 1}`,
        ...POOLS[i]!,
        env: {
          ...shared,
          WORKER_CAPACITY: String(options.capacity),
          // The production timers (the test helper's are quicker).
          WORKER_HEARTBEAT_SECONDS: "5",
          WORKER_STALE_SECONDS: "15",
          WORKER_GRACE_SECONDS: "300",
          RECONCILE_INTERVAL_SECONDS: "300",
        },
        startTimeoutMs: 90_000,
      });
      workers.push(worker);
    }
    // Workers go before the database; their leftovers are removed after them (below).
    const web = await startWeb(pg.url, {
      ...shared,
      WORKER_PUBLIC_URL: workers[0]!.publicUrl,
      TRUSTED_CLIENT_IP_HEADER: "x-real-ip",
    });
    const provisioner = await installationEngine(db, { ...process.env, ...shared });
    cleanups.push(async () => {
      // Whatever is still on the engine (a learner that failed to stop, the pool): removed here.
      const left = await db.labSession.findMany({ where: { status: { notIn: [...SETTLED] } }, select: { id: true } });
      for (const { id } of left) await provisioner.teardown(id);
      if (left.length) log(`removed ${left.length} session(s) left on the engine`);
    });
    cleanups.push(async () => {
      await web.stop();
      for (const w of workers) await w.dispose();
    });

    const groups: Group[] = [
      { name: "web", roots: [web.pid] },
      ...workers.map((w) => ({ name: w.id, roots: [workerPid(w.id)] })),
      { name: "postgres", roots: [Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0])] },
      { name: "engine", roots: [], comm: /^(dockerd|containerd)/ },
    ];

    const poolSize = Number(new RegExp(`(?:^|,)\\s*${lab.slug}\\s*=\\s*(\\d+)`).exec(options.pool)?.[1] ?? 0);
    const poolFull = async () => {
      if (!poolSize) return;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const ready = await db.labSession.count({ where: { labSlug: lab.slug, pooledAt: { not: null }, status: Status.ready } });
        if (ready >= poolSize) return;
        await sleep(500);
      }
      log(`warning: the pool of ${lab.slug} did not reach ${poolSize} READY within 120 s`);
    };
    let index = 0;
    const learners = async (n: number, arrivalSeconds: number) => {
      let done = 0;
      const progress = setInterval(() => log(`  ${done} of ${n} learners done`), 30_000);
      try {
        return await Promise.all(
          Array.from({ length: n }, async () => {
            const i = index++;
            await sleep(Math.random() * arrivalSeconds * 1000);
            const result = await runLearner({
              baseUrl: web.baseUrl,
              index: i,
              lab,
              provisioner,
              bursts: options.bursts,
              burstKeys: options.burstKeys,
              readyTimeoutMs: 1_200_000,
            });
            done++;
            return result;
          }),
        );
      } finally {
        clearInterval(progress);
      }
    };
    const settled = async (results: LearnerResult[]) => {
      const ids = results.flatMap((r) => (r.sessionId ? [r.sessionId] : []));
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if ((await db.labSession.count({ where: { id: { in: ids }, status: { notIn: [...SETTLED] } } })) === 0) return;
        await sleep(500);
      }
      log(`warning: some sessions of this step had not stopped within ${SETTLE_TIMEOUT_MS / 1000} s`);
    };

    log("warm-up: one learner (not counted)");
    await poolFull();
    const warm = await learners(1, 0);
    if (warm[0]!.errors.length)
      throw new Error(`the warm-up learner failed: ${warm[0]!.errors.map((e) => e.message).join("; ")}`);
    await settled(warm);

    const steps: StepFigures[] = [];
    const load = (os.loadavg() as number[]).map((n) => Math.round(n * 100) / 100);
    for (const n of options.steps) {
      await poolFull();
      const atOnce = Math.min(n, RAW_CLI_AT_ONCE);
      log(`N=${n}: raw CLI (${atOnce} at once)`);
      const rawCli = await rawCliSamples(lab, Math.max(options.rawStarts, atOnce), atOnce);
      log(`N=${n}: ${n} learners`);
      const cpuBefore = process.cpuUsage();
      const sampler = sampleResources(groups);
      const results = await learners(n, options.arrivalSeconds);
      await settled(results);
      const usage = sampler.stop();
      const cpu = process.cpuUsage(cpuBefore);
      const generator = (cpu.user + cpu.system) / 1e6;
      const figures = stepFigures(n, results, rawCli, {
        ...usage,
        groups: {
          ...usage.groups,
          "load generator": {
            cpuSeconds: Math.round(generator * 10) / 10,
            cores: Math.round((generator / usage.seconds) * 100) / 100,
            peakRssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
            endRssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
          },
        },
      });
      steps.push(figures);
      log(`N=${n}: done in ${usage.seconds} s; errors ${JSON.stringify(figures.errors)}; others' cores ${otherCores(figures)}`);
    }

    const { latency, resources, phases } = tableRows(steps);
    console.log(
      `Class benchmark: lab ${lab.slug}, ${options.workers} worker(s) (${workerRuns}), web: next start; p50/p95/p99 in ms; ` +
        "ctp = click-to-prompt (tRPC start to the first prompt byte; cold: placed at once, pool: READY at once, waited: after a wait in the line); " +
        "echo gw/raw: the same bursts through the gateway and on a raw dockerode exec",
    );
    console.log(`Targets: ${Object.values(TARGETS).join("; ")}`);
    printTable(latency);
    console.log("");
    printTable(resources);
    if (phases.length) {
      console.log("\nClick-to-prompt, p50 ms from the click: start answered, READY seen, terminal snapshot, prompt");
      printTable(phases);
    }
    const breaks = breakingPoints(steps);
    console.log("");
    console.log(
      `The first N each target broke at: ${Object.entries(breaks)
        .map(([k, v]) => `${k} ${v ?? "held"}`)
        .join(", ")}`,
    );
    const errorSamples = steps.flatMap((s) => s.errorSamples.map((m) => `N=${s.learners}: ${m}`));
    if (errorSamples.length) console.log(`Errors (a sample): \n  ${errorSamples.slice(0, 10).join("\n  ")}`);
    console.log(
      JSON.stringify({
        benchmark: "class",
        lab: lab.slug,
        workers: options.workers,
        settings: {
          maxActiveSessions: options.maxSessions,
          maxActiveContainers: options.maxContainers,
          workerCapacity: options.capacity,
          sessionPool: options.pool || null,
          bursts: options.bursts,
          burstKeys: options.burstKeys,
          arrivalSeconds: options.arrivalSeconds,
          webBuild: build,
          worker: workerRuns,
        },
        unit: "ms",
        steps: steps.map((step) => ({ ...step, othersCores: otherCores(step) })),
        breaksAt: breaks,
        machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, docker ${execFileSync("docker", ["version", "-f", "{{.Server.Version}}"]).toString().trim()}`,
        loadAverageAtStart: load,
        loadAverageAtEnd: (os.loadavg() as number[]).map((n) => Math.round(n * 100) / 100),
      }),
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
