// The compose stack of the test (test/compose/stack.compose.test.ts): docker-compose.yml brought up
// under a project name of its own, on ports of its own, with lab images under names of its own (so
// the stack builds them itself and the machine's busybox:latest is left alone), and taken down with
// its volumes and networks. Images are kept: a second run starts from the build cache.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

export const PROJECT = "wireroom-composetest";
export const WEB_PORT = 3870;
export const WORKER_PORT = 3871;
export const POSTGRES_PORT = 3872;
export const WORKER_ID = "composetest-1";
export const WEB = `http://127.0.0.1:${WEB_PORT}`;
export const WORKER = `http://127.0.0.1:${WORKER_PORT}`;
export const LAB_FILES_DIR = `/tmp/${PROJECT}/labfiles`;

/** This machine's own trusted certificates (a TLS-inspecting proxy's), for the app build's downloads. */
function machineCaCerts(): string {
  const dir = "/usr/local/share/ca-certificates";
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".crt"))
      .map((name) => readFileSync(path.join(dir, name), "utf8"))
      .join("\n");
  } catch {
    return "";
  }
}

export const stackEnv: NodeJS.ProcessEnv = {
  ...process.env,
  COMPOSE_PROJECT_NAME: PROJECT,
  POSTGRES_PASSWORD: randomBytes(12).toString("hex"),
  TERMINAL_TOKEN_SECRET: randomBytes(32).toString("hex"),
  BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
  WEB_BIND: "127.0.0.1",
  WEB_PORT: String(WEB_PORT),
  WEB_ORIGINS: WEB,
  WORKER_PORT: String(WORKER_PORT),
  WORKER_PUBLIC_URL: WORKER,
  WORKER_ID,
  WORKER_HEARTBEAT_SECONDS: "1",
  POSTGRES_BIND: "127.0.0.1",
  POSTGRES_HOST_PORT: String(POSTGRES_PORT),
  LAB_FILES_DIR,
  APP_IMAGE: `${PROJECT}/app:latest`,
  POSTGRES_IMAGE: `${PROJECT}/postgres:15`,
  LAB_IMAGE: `${PROJECT}/busybox:latest`,
  LAB_HOST_IMAGE: `${PROJECT}/labhost:latest`,
  NETTOOLS_IMAGE: `${PROJECT}/nettools:latest`,
  BUILD_CA_CERTS: process.env.BUILD_CA_CERTS ?? machineCaCerts(),
};

/** docker compose v2 when the CLI has it, else Debian's docker-compose (v1), as scripts/lib.sh's compose(). */
let composeCommand: Promise<string[]> | undefined;
function composeCli(): Promise<string[]> {
  composeCommand ??= run("docker", ["compose", "version"]).then(
    () => ["docker", "compose"],
    () => ["docker-compose"],
  );
  return composeCommand;
}

/** Runs `compose <args>` in the repository for this project; its output, or an error with it. */
export async function compose(args: string[], timeoutMs = 60_000): Promise<string> {
  const [command, ...prefix] = await composeCli();
  try {
    const { stdout, stderr } = await run(command!, [...prefix, "-p", PROJECT, ...args], {
      cwd: root,
      env: stackEnv,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`compose ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`.slice(0, 20_000), {
      cause: error,
    });
  }
}

function buildImage(target: string): Promise<unknown> {
  return run("bash", [path.join(root, "images/build.sh"), target], { cwd: root, env: stackEnv, timeout: 1_200_000 });
}

/**
 * The stack's images. wireroom/base (images/build.sh base, cached by its recipe); the app image
 * from this tree as it is built here (app-prebuilt: node_modules, .next, dist), or with
 * COMPOSE_TEST_APP=full by images/app/Dockerfile (npm ci, next build, build:worker inside Docker);
 * PostgreSQL and the two lab images by Compose itself, from their Dockerfiles (layer cache).
 */
export async function buildImages(): Promise<void> {
  const timed = async (what: string, step: () => Promise<unknown>) => {
    const started = performance.now();
    await step();
    console.log(`[compose test] ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await timed("images/build.sh base", () => buildImage("base"));
  const app = process.env.COMPOSE_TEST_APP === "full" ? "app" : "app-prebuilt";
  await timed(`images/build.sh ${app}`, () => buildImage(app));
  await timed("compose build postgres busybox labhost nettools", () =>
    compose(["build", "postgres", "busybox", "labhost", "nettools"], 1_200_000),
  );
}
