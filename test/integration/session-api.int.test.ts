// A session's Docker API endpoint driven by the real Docker CLI (Debian's 20.10, API 1.41), against
// the real engine: what the learner's commands show, what they are refused, and that one session's
// endpoint never reaches another session's objects, by name, engine name or id, via CLI or raw HTTP.
import { execFile } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName } from "../../worker/provisioner/docker/names";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import { createSessionApi, type SessionApi } from "../../worker/provisioner/docker/sessionApi/server";
import { TEST_INSTALLATION } from "../support/engine";
import { eventually } from "../support/eventually";
import { startLab, teardownAll } from "../support/lab";

const run = promisify(execFile);
const CLI = "/usr/bin/docker";
const config = loadProvisionerConfig(process.env);
const docker = createDockerClient(config.DOCKER_HOST);
const runtime = sessionRuntimeFromConfig(config, TEST_INSTALLATION);

type Session = { sid: string; socket: string; api: SessionApi };
let dir: string;
let a: Session;
let b: Session;

async function serve(sid: string, name: string, api = { ratePerSecond: 500, burst: 1000 }): Promise<Session> {
  const server = createSessionApi({
    docker,
    engineSocket: new URL(config.DOCKER_HOST ?? "unix:///var/run/docker.sock").pathname,
    sessionId: sid,
    installationId: TEST_INSTALLATION,
    runtime,
    limits: { memoryMb: config.CONTAINER_MEMORY_MB },
    images: { learner: config.LAB_IMAGE, host: config.LAB_HOST_IMAGE },
    log: (line) => console.error(line),
    api,
  });
  const socket = path.join(dir, `${name}.sock`);
  await server.listen(socket);
  return { sid, socket, api: server };
}

/** The real CLI on a session's socket: stdout, stderr and exit code (never throws). */
async function cli(s: Session, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(CLI, ["-H", `unix://${s.socket}`, ...args], {
      timeout: 30_000,
      env: { ...process.env, HOME: dir },
    });
    return { out: stdout, err: stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? "", err: e.stderr ?? "", code: typeof e.code === "number" ? e.code : -1 };
  }
}

/** Raw HTTP over a session's socket. */
function raw(s: Session, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: s.socket,
        method,
        path: urlPath,
        headers: payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "b-sapi-"));
  const [la, lb] = await Promise.all([
    startLab({ containers: [{ name: "busybox1" }] }),
    startLab({ containers: [{ name: "secret" }] }),
  ]);
  [a, b] = await Promise.all([serve(la.sessionId, "a"), serve(lb.sessionId, "b")]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.api.close(), b?.api.close()]);
  await teardownAll();
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe("the CLI through a session's endpoint", () => {
  it("ps lists the session's own containers by learner name, nothing of the platform", async () => {
    const { out, code, err } = await cli(a, "ps", "-a", "--format", "{{.Names}}");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(["busybox1"]);
  });

  it("network ls shows bridge, host and none", async () => {
    const { out, code } = await cli(a, "network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(["bridge bridge local", "host host local", "none null local"]);
  });

  it("info prints the Plugins line and nothing of the machine", async () => {
    const { out, code, err } = await cli(a, "info");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("  Network: bridge host ipvlan macvlan null overlay");
    expect(out).toContain(" Name: host");
    expect(out).toContain(" Swarm: inactive");
    const engineInfo = (await docker.info()) as { ID: string; Name: string };
    expect(out).not.toContain(engineInfo.ID);
    expect(out).not.toContain(`Name: ${engineInfo.Name}\n`);
    expect(out).toContain(" Containers: 1\n");
  });

  it("run -d, inspect, logs, exec, stop, start, rm -f", async () => {
    const created = await cli(a, "run", "-d", "--name", "web", "busybox", "sh", "-c", "echo hello; sleep 300");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out.trim()).toMatch(/^[0-9a-f]{64}$/);
    const logs = await eventually("web's log", async () => {
      const r = await cli(a, "logs", "web");
      return r.out.includes("hello") && r;
    });
    expect(logs.code).toBe(0);
    const ip = await cli(a, "inspect", "-f", "{{.Name}} {{.HostConfig.NetworkMode}} {{.NetworkSettings.IPAddress}}", "web");
    expect(ip.out.trim()).toMatch(/^\/web bridge \d+\.\d+\.\d+\.\d+$/);
    const inspect = await cli(a, "inspect", "web");
    expect(inspect.out).not.toMatch(/wireroom|netlab|resolv\.conf|\/var\/lib/);
    const exec = await cli(a, "exec", "web", "sh", "-c", "echo from-exec");
    expect(exec.out.trim()).toBe("from-exec");
    expect((await cli(a, "stop", "-t", "1", "web")).code).toBe(0);
    expect((await cli(a, "ps", "--format", "{{.Names}}")).out).not.toContain("web");
    expect((await cli(a, "start", "web")).code).toBe(0);
    expect((await cli(a, "rm", "-f", "web")).code).toBe(0);
    expect((await cli(a, "ps", "-a", "--format", "{{.Names}}")).out).not.toContain("web");
  }, 60_000);

  it("network create, ls, inspect, connect, disconnect, rm", async () => {
    expect((await cli(a, "network", "create", "--driver", "bridge", "mynet")).code).toBe(0);
    expect((await cli(a, "network", "ls", "--format", "{{.Name}}")).out.trim().split("\n")).toEqual([
      "bridge",
      "host",
      "mynet",
      "none",
    ]);
    expect((await cli(a, "network", "connect", "mynet", "busybox1")).code).toBe(0);
    const inspect = await cli(a, "network", "inspect", "-f", "{{.Name}} {{range .Containers}}{{.Name}}{{end}}", "mynet");
    expect(inspect.out.trim()).toBe("mynet busybox1");
    expect((await cli(a, "network", "disconnect", "mynet", "busybox1")).code).toBe(0);
    const removed = await cli(a, "network", "rm", "mynet");
    expect(removed.err).toBe("");
    expect((await cli(a, "network", "ls", "--format", "{{.Name}}")).out).not.toContain("mynet");
    const builtIn = await cli(a, "network", "rm", "bridge");
    expect(builtIn.err.trim()).toBe("Error response from daemon: bridge is a pre-defined network and cannot be removed");
  }, 60_000);

  it("version and images", async () => {
    expect((await cli(a, "version")).out).toContain("API version:       1.41");
    const images = await cli(a, "images", "--format", "{{.Repository}}:{{.Tag}}");
    expect(images.out.trim()).toBe("busybox:latest");
  });

  it("run -it --rm through a pseudo-terminal: the shell answers, exit removes the container", async () => {
    const cmd = `printf 'echo in-$((6*7))\\nexit\\n' | ${CLI} -H unix://${a.socket} run --name tty1 -i --rm busybox sh`;
    const { stdout } = await run("sh", ["-c", cmd], { timeout: 30_000 });
    expect(stdout).toContain("in-42");
    await eventually("tty1 removed", async () => !(await cli(a, "ps", "-a", "--format", "{{.Names}}")).out.includes("tty1"));
  }, 60_000);
});

describe("refusals", () => {
  const cases: [string[], string][] = [
    [["run", "--privileged", "busybox"], "--privileged is not supported here"],
    [["run", "--cap-add", "NET_ADMIN", "busybox"], "--cap-add is not supported here"],
    [["run", "-v", "/:/host", "busybox"], "-v/--volume is not supported here"],
    [["run", "--pid", "host", "busybox"], "--pid is not supported here"],
    [["run", "alpine"], "image alpine is not available here"],
    [["run", "--name", "a;rm -rf /", "busybox"], "invalid container name"],
    [["run", "--name", "$(id)", "busybox"], "invalid container name"],
    [["run", "--name", "x".repeat(300), "busybox"], "invalid container name"],
    [["run", "--name", "bü", "busybox"], "invalid container name"],
    [["volume", "ls"], "`docker volume` is not supported here"],
    [["pull", "alpine"], "docker pull is not available here"],
  ];
  for (const [args, message] of cases) {
    it(`docker ${args.join(" ").slice(0, 60)}`, async () => {
      const r = await cli(a, ...args);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain(message);
    });
  }
});

describe("limits", () => {
  it("a request body over 64 KiB is refused with 413, a burst beyond the bucket with 429", async () => {
    const big = await raw(a, "POST", "/v1.41/networks/create", { Name: "x".repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).message).toBe("the request is larger than 64 KiB");
    const slow = await serve(a.sid, "slow", { ratePerSecond: 1, burst: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await raw(slow, "GET", "/v1.41/version")).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await cli(slow, "ps");
      expect(r.err).toContain("too many docker commands at once");
    } finally {
      await slow.api.close();
    }
  });
});

describe("session A cannot reach session B", () => {
  let bId: string;
  let bNet: string;
  beforeAll(async () => {
    bId = (await docker.getContainer(containerName(b.sid, "secret")).inspect()).Id;
    bNet = (await docker.listNetworks({ filters: { label: [`io.wireroom.session=${b.sid}`] } }))[0]!.Id;
  });

  it("by name, engine name or id, via the CLI", async () => {
    for (const ref of ["secret", containerName(b.sid, "secret"), bId, bId.slice(0, 12), containerName(a.sid, "host")]) {
      for (const args of [
        ["inspect", "--type", "container", ref],
        ["exec", ref, "true"],
        ["rm", ref],
        ["stop", ref],
        ["logs", ref],
      ]) {
        const r = await cli(a, ...args);
        expect(r.code, `${args.join(" ")}`).not.toBe(0);
        expect(r.err).toContain(`No such container: ${ref}`);
      }
    }
    for (const args of [
      ["network", "inspect", bNet],
      ["network", "connect", bNet, "busybox1"],
      ["network", "rm", bNet],
    ]) {
      const r = await cli(a, ...args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(new RegExp(`No such network: ${bNet}|network ${bNet} not found`));
    }
    expect((await cli(a, "network", "connect", "bridge", bId)).err).toContain(`No such container: ${bId}`);
  }, 60_000);

  it("via raw HTTP", async () => {
    for (const [method, p, body] of [
      ["GET", `/v1.41/containers/${bId}/json`],
      ["POST", `/v1.41/containers/${bId}/exec`, { Cmd: ["true"] }],
      ["DELETE", `/v1.41/containers/${bId}?force=1`],
      ["POST", `/v1.41/containers/${bId}/stop`],
      ["GET", `/v1.41/networks/${bNet}`],
      ["DELETE", `/v1.41/networks/${bNet}`],
    ] as [string, string, unknown?][]) {
      const r = await raw(a, method, p, body);
      expect(r.status, `${method} ${p}`).toBe(404);
      expect(r.body).not.toContain("wireroom");
    }
    const listed = await raw(
      a,
      "GET",
      `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`io.wireroom.session=${b.sid}`] }))}`,
    );
    expect(JSON.parse(listed.body)).toEqual([]);
    expect((await docker.getContainer(bId).inspect()).State.Running).toBe(true);
  });
});
