// A worker as its own process (what `npm run worker` starts), for tests that kill it, signal it and
// start it again with the same WORKER_ID: built JavaScript (dist/worker/main.js) when that build is
// newer than every source file it is made of, otherwise the TypeScript through tsx, in one process
// either way (tsx's own wrapper would leave its child behind when killed).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { within } from "./eventually";

const root = path.resolve(import.meta.dirname, "../..");
const BUILT = path.join(root, "dist", "worker", "main.js");
/** What the built worker is made of: a build older than any of these is not the code under test. */
const SOURCES = ["worker", "src/core", "src/protocol", "src/generated", "prisma"];
/** The worker's line once it takes jobs (worker/main.ts). */
const TAKING_JOBS = /taking jobs/;
/** How much of a worker's output is kept for failure messages. */
const OUTPUT_KEPT = 200_000;

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** node's arguments for the worker: the build when it is fresh, tsx otherwise. */
export async function workerCommand(): Promise<string[]> {
  if (existsSync(BUILT)) {
    const built = (await stat(BUILT)).mtimeMs;
    const sources = await Promise.all(SOURCES.map((dir) => newestSource(path.join(root, dir)).catch(() => 0)));
    if (sources.every((newest) => newest < built)) return [BUILT];
  }
  return ["--import", "tsx", path.join(root, "worker", "main.ts")];
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the worker keeps it across restarts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type WorkerProcessOptions = {
  id: string;
  /** Unset: the machine's engine (this process's DOCKER_HOST, or the default socket). */
  dockerHost?: string;
  /** Each worker's own pools: engines on one machine must not hand out the same subnets. */
  subnetPool: string;
  bridgePool: string;
  /** More settings (they win over the defaults below). */
  env?: Record<string, string>;
  /** How long a start may take, until "taking jobs". */
  startTimeoutMs?: number;
};

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type WorkerProcess = {
  id: string;
  port: number;
  publicUrl: string;
  labFilesDir: string;
  /** The settings it runs with. */
  env: NodeJS.ProcessEnv;
  /** Everything it printed (stdout and stderr, every run), for failure messages. */
  output: () => string;
  running: () => boolean;
  /** How long its last start took, from spawning it to "taking jobs", ms. */
  startMs: () => number;
  /** Sends the signal and waits for the process to end (within `timeoutMs`). */
  kill: (signal: NodeJS.Signals, timeoutMs?: number) => Promise<Exit>;
  /** Starts it again with the same id, port and settings; resolves once it takes jobs. */
  restart: () => Promise<void>;
  /** Ends it (SIGTERM, then SIGKILL after 30 s) if it runs, and removes its lab files folder. */
  dispose: () => Promise<void>;
};

/** Starts a worker process and resolves once it takes jobs; fails with its output otherwise. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const labFilesDir = await mkdtemp(path.join(os.tmpdir(), `wireroom-labfiles-${options.id}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WORKER_ID: options.id,
    WORKER_PORT: String(port),
    WORKER_HOST: "127.0.0.1",
    WORKER_PUBLIC_URL: publicUrl,
    LAB_FILES_DIR: labFilesDir,
    LAB_SUBNET_POOL: options.subnetPool,
    LAB_BRIDGE_POOL: options.bridgePool,
    WORKER_HEARTBEAT_SECONDS: "1",
    WORKER_STALE_SECONDS: "4",
    WORKER_GRACE_SECONDS: "12",
    RECONCILE_INTERVAL_SECONDS: "3600",
    LOG_LEVEL: "info",
    ...(options.dockerHost ? { DOCKER_HOST: options.dockerHost } : {}),
    ...options.env,
  };
  const args = await workerCommand();
  const startTimeoutMs = options.startTimeoutMs ?? 45_000;
  let output = "";
  let startMs = 0;
  let child: ChildProcess | undefined;
  let exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });

  const note = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  async function start() {
    if (running()) throw new Error(`worker ${options.id} runs already; kill it before starting it again`);
    const from = output.length;
    output += `--- ${options.id} starts (node ${args.join(" ")}) ---\n`;
    const spawned = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    child = spawned;
    spawned.stdout!.on("data", note);
    spawned.stderr!.on("data", note);
    exited = new Promise((resolve) => spawned.once("exit", (code, signal) => resolve({ code, signal })));
    const ready = new Promise<void>((resolve, reject) => {
      const watch = () => {
        if (TAKING_JOBS.test(output.slice(from))) {
          spawned.stdout!.off("data", watch);
          spawned.stderr!.off("data", watch);
          resolve();
        }
      };
      spawned.stdout!.on("data", watch);
      spawned.stderr!.on("data", watch);
      void exited.then(({ code, signal }) =>
        reject(new Error(`worker ${options.id} exited (${code ?? signal}) before taking jobs`)),
      );
    });
    const started = performance.now();
    try {
      await within(ready, startTimeoutMs, `worker ${options.id} to take jobs`);
      startMs = performance.now() - started;
    } catch (error) {
      if (running()) {
        spawned.kill("SIGKILL");
        await exited;
      }
      throw new Error(`${(error as Error).message}; it printed:\n${output.slice(from)}`, { cause: error });
    }
  }

  async function kill(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<Exit> {
    if (running()) child!.kill(signal);
    return within(exited, timeoutMs, `worker ${options.id} to exit after ${signal}`);
  }

  await start();
  return {
    id: options.id,
    port,
    publicUrl,
    labFilesDir,
    env,
    output: () => output,
    running,
    startMs: () => startMs,
    kill,
    restart: start,
    async dispose() {
      if (running()) {
        child!.kill("SIGTERM");
        const ended = await within(exited, 30_000, "").catch(() => undefined);
        if (!ended) await kill("SIGKILL", 10_000);
      }
      await rm(labFilesDir, { recursive: true, force: true });
    },
  };
}
