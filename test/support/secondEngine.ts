// A second Docker engine on this machine, for the tests of several lab hosts: its own dockerd with
// its own data-root, exec-root, pidfile and socket under a fresh folder, and no swarm. It runs in a
// network namespace of its own (as a second machine would): two engines in one namespace would
// share the machine's Linux bridges, and a lab bridge's name depends only on the session and the
// network (names.ts), so a session placed on both engines in turn would get one bridge on both,
// which the first engine removes under the second. In its namespace the engine keeps its own
// iptables (Docker's chains and isolation rules) and never touches the machine's.
// The images the platform runs are loaded into it from the main engine (`docker save | load`).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDockerClient, type DockerClient } from "../../worker/provisioner/docker/client";
import { eventually, within } from "./eventually";

/** The engine's built-in networks (`--bridge none` leaves only these two). */
const BUILT_IN_NETWORKS = new Set(["host", "none", "bridge"]);

export type SecondEngine = {
  /** DOCKER_HOST for it: unix://<folder>/docker.sock. */
  dockerHost: string;
  docker: DockerClient;
  /** `docker info`'s ID (what the registry calls engineId). */
  engineId: string;
  /** From spawning dockerd to its API answering, ms. */
  startMs: number;
  /** Loading the images into it, ms. */
  loadMs: number;
  /** dockerd's output so far, for failure messages. */
  log: () => Promise<string>;
  /** Removes its containers and networks, stops it, and removes its namespace and folder; safe to call twice. */
  stop: () => Promise<void>;
};

/** Runs a command to its end; fails with its output when it exits non-zero. */
function command(file: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve(output) : reject(new Error(`${file} ${args.join(" ")} exited ${code}: ${output.trim()}`)),
      );
    }),
    timeoutMs,
    `${file} ${args.join(" ")} to finish`,
  );
}

/** `docker save IMAGES | docker -H HOST load`, both from the machine's docker CLI. */
function copyImages(images: string[], dockerHost: string, timeoutMs: number): Promise<void> {
  return within(
    new Promise<void>((resolve, reject) => {
      const save = spawn("docker", ["save", ...images], { stdio: ["ignore", "pipe", "pipe"] });
      const load = spawn("docker", ["-H", dockerHost, "load", "--quiet"], { stdio: ["pipe", "pipe", "pipe"] });
      let errors = "";
      save.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      load.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      save.stdout.pipe(load.stdin);
      const ended = (child: ChildProcess) =>
        new Promise<number | null>((done, fail) => {
          child.once("error", fail);
          child.once("exit", done);
        });
      Promise.all([ended(save), ended(load)]).then(([saved, loaded]) => {
        if (saved === 0 && loaded === 0) resolve();
        else reject(new Error(`docker save ${images.join(" ")} | docker load failed (${saved}, ${loaded}): ${errors.trim()}`));
      }, reject);
    }),
    timeoutMs,
    `${images.join(", ")} to load into the second engine`,
  );
}

/** Mount points under `folder` (deepest first), as this process's mount table lists them. */
async function mountsUnder(folder: string): Promise<string[]> {
  const table = await readFile("/proc/self/mountinfo", "utf8");
  return table
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => !!point && (point === folder || point.startsWith(`${folder}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * Starts the engine (within `timeoutMs`) and loads `images` into it. On any failure everything it
 * made is removed before the error is thrown.
 */
export async function startSecondEngine(options: { images?: string[]; timeoutMs?: number } = {}): Promise<SecondEngine> {
  const images = options.images ?? ["busybox:latest", "wireroom/labhost:latest"];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const folder = await mkdtemp(path.join(os.tmpdir(), "wireroom-engine-"));
  const namespace = `wireroom-${path.basename(folder).slice("wireroom-engine-".length)}`;
  const socket = path.join(folder, "docker.sock");
  const dockerHost = `unix://${socket}`;
  const docker = createDockerClient(dockerHost);
  const logFile = path.join(folder, "dockerd.log");
  const log = () => readFile(logFile, "utf8").catch(() => "");
  let daemon: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  let namespaceMade = false;

  async function removeObjects() {
    const containers = await docker.listContainers({ all: true });
    await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
    const networks = await docker.listNetworks();
    for (const n of networks.filter((n) => !BUILT_IN_NETWORKS.has(n.Name))) await docker.getNetwork(n.Id).remove();
  }

  async function stopDaemon() {
    if (!daemon?.pid || daemon.exitCode !== null || daemon.signalCode !== null) return;
    daemon.kill("SIGTERM");
    const stopped = await within(exited!, 20_000, "the second dockerd to stop").catch(() => undefined);
    if (stopped === undefined && daemon.exitCode === null && daemon.signalCode === null) {
      process.kill(-daemon.pid, "SIGKILL"); // its process group: dockerd and the containerd it started
      await within(exited!, 10_000, "the second dockerd to die");
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const problems: string[] = [];
      const step = async (what: string, work: () => Promise<unknown>) => {
        try {
          await work();
        } catch (error) {
          problems.push(`${what}: ${(error as Error).message}`);
        }
      };
      if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
        await step("removing its containers and networks", () => within(removeObjects(), 30_000, "its objects to go"));
      }
      await step("stopping dockerd", stopDaemon);
      await step("unmounting what it left", async () => {
        for (const point of await mountsUnder(folder)) await command("umount", ["-l", point]);
      });
      if (namespaceMade) await step("removing its network namespace", () => command("ip", ["netns", "delete", namespace]));
      await step("removing its folder", () => rm(folder, { recursive: true, force: true }));
      if (problems.length) throw new Error(`the second engine (${folder}) was not cleaned up fully: ${problems.join("; ")}`);
    })());

  try {
    await command("ip", ["netns", "add", namespace]);
    namespaceMade = true;
    await command("ip", ["-n", namespace, "link", "set", "lo", "up"]);
    // Its own identity: the engine's ID comes from a key that is /etc/docker/key.json unless the
    // configuration names another, and two engines of one ID look like one to the registry.
    const config = path.join(folder, "daemon.json");
    await writeFile(config, JSON.stringify({ "deprecated-key-path": path.join(folder, "key.json") }));
    const output = await open(logFile, "a");
    const started = performance.now();
    // nsenter changes only the network namespace (the engine needs the machine's cgroup and mount
    // tables) and then runs dockerd itself, so `daemon.pid` is dockerd's.
    daemon = spawn(
      "nsenter",
      [
        `--net=/run/netns/${namespace}`,
        "dockerd",
        "--config-file",
        config,
        "--data-root",
        path.join(folder, "root"),
        "--exec-root",
        path.join(folder, "exec"),
        "--pidfile",
        path.join(folder, "docker.pid"),
        "--host",
        dockerHost,
        "--bridge",
        "none",
      ],
      { detached: true, stdio: ["ignore", output.fd, output.fd] },
    );
    await output.close();
    const child = daemon;
    exited = new Promise((resolve) => child.once("exit", resolve));
    const died = exited.then(async (code) => {
      throw new Error(`the second dockerd exited (${code}) before answering; its log:\n${await log()}`);
    });
    await Promise.race([
      eventually(`the second dockerd to answer on ${socket}`, () => docker.ping().then(() => true), {
        timeoutMs,
        intervalMs: 50,
      }),
      died,
    ]);
    died.catch(() => undefined);
    const startMs = performance.now() - started;
    const info = (await docker.info()) as { ID: string };
    const loading = performance.now();
    await copyImages(images, dockerHost, timeoutMs);
    const loadMs = performance.now() - loading;
    return { dockerHost, docker, engineId: info.ID, startMs, loadMs, log, stop };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await stop().catch((cleanup: Error) => {
      throw new Error(`${reason}\n(and ${cleanup.message})`, { cause: error });
    });
    throw error;
  }
}
