// Runs the whole platform on one machine: PostgreSQL (embedded unless DATABASE_URL is set),
// migrations, the worker and the web. Prints the URL when both answer; stops all on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres";

const root = path.resolve(import.meta.dirname, "..");

/** A launcher setting, WIREROOM_<name>; the old NETLAB_<name> is read for one more release, with a warning. */
function setting(name: string): string | undefined {
  const current = process.env[`WIREROOM_${name}`];
  if (current !== undefined) return current;
  const legacy = process.env[`NETLAB_${name}`];
  if (legacy !== undefined) console.warn(`[wireroom] warning: NETLAB_${name} is the old name of WIREROOM_${name}; rename it`);
  return legacy;
}

const dataDir = path.resolve(setting("DATA_DIR") ?? path.join(root, ".data"));
const webPort = Number(process.env.PORT ?? 3000);
const workerPort = Number(process.env.WORKER_PORT ?? 3001);
const pgPort = Number(setting("PG_PORT") ?? 54329);
const webMode = setting("WEB_MODE") === "dev" ? "dev" : "start";
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function log(message: string) {
  console.log(`\x1b[1m[wireroom]\x1b[0m ${message}`);
}

/** A secret from the environment, or a random one kept with the data so it survives restarts. */
function keptSecret(name: string, fileName: string): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, fileName);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

async function waitForHttp(url: string, child: ChildProcess, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering on ${url}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  let database: EmbeddedDatabase | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  const setupTokenFile = process.env.SETUP_TOKEN_FILE ?? path.join(dataDir, "setup-token");
  // A fresh database has no token yet: a file left by an earlier run would name a token it never had.
  if (setting("FRESH_DATABASE") === "1") rmSync(setupTokenFile, { force: true });
  if (!databaseUrl) {
    log(`starting embedded PostgreSQL on 127.0.0.1:${pgPort} (data: ${path.join(dataDir, "postgres")})`);
    database = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      port: pgPort,
      fresh: setting("FRESH_DATABASE") === "1",
    });
    databaseUrl = database.url;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TERMINAL_TOKEN_SECRET: keptSecret("TERMINAL_TOKEN_SECRET", "terminal-token-secret"),
    BETTER_AUTH_SECRET: keptSecret("BETTER_AUTH_SECRET", "better-auth-secret"),
    WORKER_PORT: String(workerPort),
    WORKER_PUBLIC_URL: process.env.WORKER_PUBLIC_URL ?? `http://localhost:${workerPort}`,
    WEB_ORIGINS: process.env.WEB_ORIGINS ?? `http://localhost:${webPort},http://127.0.0.1:${webPort}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // Where the web also writes the first admin's setup token (mode 0600; Playwright reads it).
    SETUP_TOKEN_FILE: setupTokenFile,
  };

  log("applying database migrations");
  await run(bin("prisma"), ["migrate", "deploy"], env);

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    await database?.stop();
    process.exit(code);
  };
  const start = (name: string, command: string, args: string[]) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`[wireroom] ${name} exited (${code}); stopping the platform`);
        void stopAll(1);
      }
    });
    children.push(child);
    return child;
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  // node --import tsx: one process, so signals reach the worker itself.
  const worker = start("worker", process.execPath, ["--import", "tsx", "worker/main.ts"]);
  const web = start("web", bin("next"), [webMode, "-p", String(webPort), "-H", "0.0.0.0"]);
  await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, worker, "worker");
  await waitForHttp(`http://127.0.0.1:${webPort}/`, web, "web");
  log(`wireroom is up: http://localhost:${webPort}  (Ctrl-C stops it)`);
}

main().catch((error: unknown) => {
  console.error(`[wireroom] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
