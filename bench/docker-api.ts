// The session's Docker API endpoint against the raw engine, in the same run: the real Docker CLI
// (Debian's 20.10, the one in the session host) runs `docker run -d busybox` and `docker network
// ls` once through a session's endpoint socket and once on the engine's own socket. The CLI is
// the load generator, a separate process; the endpoint is served by this process, which only
// waits for the CLI meanwhile.
//   npm run bench:docker-api [-- --iterations 20]
// Prints a table, then one JSON line.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadProvisionerConfig } from "../worker/config";
import { API_SOCKET } from "../worker/provisioner/docker/sessionEndpoints";
import { engine } from "../test/support/engine";
import { printTable, summary } from "./stats";

const iterations = Number(process.argv[process.argv.indexOf("--iterations") + 1] || 20);
const run = promisify(execFile);
/** Debian's docker.io CLI: the one copied into the session host image. */
const CLI = "/usr/bin/docker";
const config = loadProvisionerConfig(process.env);
const engineSocket = (config.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");

async function timed(socket: string, args: string[]): Promise<{ ms: number; out: string }> {
  const started = performance.now();
  const { stdout } = await run(CLI, ["-H", `unix://${socket}`, ...args]);
  return { ms: performance.now() - started, out: stdout.trim() };
}

async function main() {
  const sessionId = randomUUID();
  const rawNetwork = `bench-api-${sessionId.slice(0, 8)}`;
  await engine.provision({ sessionId, networks: [], containers: [], labDns: false });
  const endpoint = path.join(path.resolve(config.LAB_FILES_DIR), sessionId, "run", API_SOCKET);
  await run(CLI, ["-H", `unix://${engineSocket}`, "network", "create", "--internal", rawNetwork]);
  const rawIds: string[] = [];
  const sessionIds: string[] = [];
  const samples = { sessionRun: [] as number[], rawRun: [] as number[], sessionLs: [] as number[], rawLs: [] as number[] };
  try {
    // Interleaved, so drift on the machine falls on both sides alike; the first round warms up.
    for (let i = 0; i <= iterations; i++) {
      const viaSession = await timed(endpoint, ["run", "-d", "--name", `c${i}`, "busybox", "sleep", "600"]);
      const raw = await timed(engineSocket, ["run", "-d", "--network", rawNetwork, "busybox", "sleep", "600"]);
      sessionIds.push(`c${i}`);
      rawIds.push(raw.out);
      const lsSession = await timed(endpoint, ["network", "ls"]);
      const lsRaw = await timed(engineSocket, ["network", "ls"]);
      if (i === 0) continue;
      samples.sessionRun.push(viaSession.ms);
      samples.rawRun.push(raw.ms);
      samples.sessionLs.push(lsSession.ms);
      samples.rawLs.push(lsRaw.ms);
      // A session may hold only a few containers: remove them between rounds (not timed).
      await run(CLI, ["-H", `unix://${endpoint}`, "rm", "-f", `c${i}`]);
      await run(CLI, ["-H", `unix://${engineSocket}`, "rm", "-f", raw.out]);
    }
  } finally {
    await run(CLI, ["-H", `unix://${engineSocket}`, "rm", "-f", ...rawIds]).catch(() => undefined);
    await run(CLI, ["-H", `unix://${engineSocket}`, "network", "rm", rawNetwork]).catch(() => undefined);
    await engine.teardown(sessionId);
    await engine.close();
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])) as Record<
    keyof typeof samples,
    ReturnType<typeof summary>
  >;
  printTable([
    { what: "docker run -d busybox, session endpoint", ...s.sessionRun },
    { what: "docker run -d busybox, raw engine", ...s.rawRun },
    { what: "docker network ls, session endpoint", ...s.sessionLs },
    { what: "docker network ls, raw engine", ...s.rawLs },
  ]);
  const { stdout: version } = await run(CLI, ["-H", `unix://${engineSocket}`, "version", "-f", "{{.Server.Version}}"]);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(
    JSON.stringify({
      benchmark: "session-docker-api",
      iterations,
      unit: "ms",
      run: { session: s.sessionRun, raw: s.rawRun, ratioP50: ratio(s.sessionRun.p50, s.rawRun.p50) },
      networkLs: { session: s.sessionLs, raw: s.rawLs, ratioP50: ratio(s.sessionLs.p50, s.rawLs.p50) },
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, docker ${version.trim()}`,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
