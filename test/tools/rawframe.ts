// Runs test/tools/rawframe (compiled on first use) inside a lab container's network namespace,
// with `nsenter -n`: the frames come from where a learner's would, so what stops them is the
// machine's firewall, not the container's missing tools or capabilities. Needs root and gcc.
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName, networkName } from "../../worker/provisioner/docker/names";

const docker = createDockerClient(process.env.DOCKER_HOST);
const run = promisify(execFile);
let binary: string | undefined;

function rawframe(): string {
  if (!binary) {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "wireroom-rawframe-")), "rawframe");
    execFileSync("gcc", ["-O1", "-Wall", "-Werror", "-o", out, path.resolve(import.meta.dirname, "rawframe.c")]);
    binary = out;
  }
  return binary;
}

export async function containerPid(sessionId: string, name: string): Promise<number> {
  return (await docker.getContainer(containerName(sessionId, name)).inspect()).State.Pid;
}

/** The container's address and MAC on one of its networks (the session's engine name). */
export async function endpoint(sessionId: string, name: string, network: string) {
  const info = await docker.getContainer(containerName(sessionId, name)).inspect();
  const ep = info.NetworkSettings.Networks[networkName(sessionId, network)];
  if (!ep) throw new Error(`${name} is not on ${network}`);
  return { ip: ep.IPAddress, mac: ep.MacAddress };
}

/** The Linux bridge of a session's bridge network on this machine. */
export async function bridgeOf(sessionId: string, network: string): Promise<string> {
  const info = await docker.getNetwork(networkName(sessionId, network)).inspect();
  return info.Options?.["com.docker.network.bridge.name"] ?? `br-${info.Id.slice(0, 12)}`;
}

/** rawframe's one result line, run in the network namespace of process `pid`. */
export async function rawframeIn(pid: number, ...args: (string | number)[]): Promise<string> {
  const { stdout } = await run("nsenter", ["-t", String(pid), "-n", rawframe(), ...args.map(String)], { timeout: 10_000 });
  return stdout.trim();
}

/**
 * A UDP listener in the namespace of `pid`, ready when this resolves; `result` is
 * "count=N barrier=yes|no" once the barrier datagram arrives or `timeoutMs` passes.
 */
export async function listenIn(pid: number, port: number, marker: string, barrier: string, timeoutMs = 5_000) {
  const child = spawn("nsenter", [
    "-t",
    String(pid),
    "-n",
    rawframe(),
    "listen",
    String(port),
    marker,
    barrier,
    String(timeoutMs),
  ]);
  let out = "";
  const result = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => resolve(out.replace("ready", "").trim()));
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready")) resolve();
    });
    child.on("close", () => reject(new Error(`listener exited before it was ready: ${out}`)));
  });
  return { result };
}

/** The IPv6 link-local address the kernel derives from a MAC (EUI-64). */
export function linkLocalOf(mac: string): string {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = mac.split(":").map((h) => parseInt(h, 16));
  const words = [((b0 ^ 0x02) << 8) | b1, (b2 << 8) | 0xff, (0xfe << 8) | b3, (b4 << 8) | b5];
  return `fe80::${words.map((w) => w.toString(16)).join(":")}`;
}

/** The machine's own IPv4 addresses other than loopback. */
export function machineIpv4(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);
}
