// A session's Docker API endpoint driven by the real Docker CLI (Debian's 20.10, API 1.41), against
// the real engine: what the learner's commands show, what they are refused, and that one session's
// endpoint never reaches another session's objects, by name, engine name or id, via CLI or raw HTTP.
import { execFile, spawn } from "node:child_process";
import { connect } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProvisionerConfig } from "../../worker/config";
import { containerName } from "../../worker/provisioner/docker/names";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import type { SessionRuntime } from "../../worker/provisioner/docker/learnerObjects";
import type { ApiLimits } from "../../worker/provisioner/docker/sessionApi/limits";
import { CLI, dockerCli, endpointDocker as docker, httpCall, serveEndpoint, type Endpoint } from "../support/sessionEndpoint";
import { TEST_INSTALLATION } from "../support/engine";
import { eventually, within } from "../support/eventually";
import { startLab, teardownAll } from "../support/lab";

const run = promisify(execFile);

type Session = Endpoint;
let dir: string;
let a: Session;
let b: Session;

const serve = (sid: string, name: string, limits?: Partial<ApiLimits>, sessionRuntime?: SessionRuntime) =>
  serveEndpoint(dir, sid, name, limits, sessionRuntime);
const cli = dockerCli;
const raw = httpCall;

/** An attach/exec-start upgrade over raw HTTP (with `after` sent in the same write): the endpoint's answer. */
async function upgrade(s: Session, target: string, after = ""): Promise<string> {
  const sk = connect(s.socket);
  let answer = "";
  sk.on("data", (d: Buffer) => (answer += d.toString()));
  const body = JSON.stringify({ Detach: false, Tty: false });
  sk.write(
    `POST ${target} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}${after}`,
  );
  try {
    return await eventually("the upgrade's answer", () => answer.includes("}") && answer);
  } finally {
    sk.destroy();
  }
}

/**
 * The CLI in a pseudo-terminal (util-linux `script`), as a learner's terminal runs it: keys are
 * typed once the expected output has appeared, never after a fixed delay.
 */
function terminal(s: Session, ...args: string[]) {
  const command = [CLI, "-H", `unix://${s.socket}`, ...args].map((a) => `'${a}'`).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { env: { ...process.env, HOME: dir } });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return {
    type: (keys: string) => child.stdin.write(keys),
    output: () => output.replace(/\r/g, ""),
    /** Waits for text in the output after position `from` and returns the position after it. */
    waitFor: (text: string, from = 0) =>
      eventually(`${JSON.stringify(text)} in the terminal (seen: ${JSON.stringify(output.slice(-200))})`, () => {
        const at = output.replace(/\r/g, "").indexOf(text, from);
        return at >= 0 && at + text.length;
      }),
    exited: () => within(exited, 30_000, "the CLI to exit"),
    kill: () => child.kill(),
  };
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
    expect((await cli(a, "network", "create", "--driver", "overlay", "ov1")).code).toBe(0);
    expect((await cli(a, "network", "ls", "--filter", "name=ov1", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")).out).toBe(
      "ov1 overlay swarm\n",
    );
    expect((await cli(a, "network", "rm", "ov1")).code).toBe(0);
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

describe("run modes and terminals", () => {
  it("--network container:, host, none and --dns, as the seed shows them; a run without --name gets a name", async () => {
    expect(
      (await cli(a, "run", "-d", "--name", "joined", "--network", "container:busybox1", "busybox", "sleep", "300")).code,
    ).toBe(0);
    expect((await cli(a, "run", "-d", "--name", "hosted", "--network", "host", "busybox", "sleep", "300")).code).toBe(0);
    expect((await cli(a, "run", "-d", "--name", "closed", "--network", "none", "busybox", "sleep", "300")).code).toBe(0);
    const modes = await cli(a, "inspect", "-f", "{{.Name}} {{.HostConfig.NetworkMode}}", "joined", "hosted", "closed");
    expect(modes.out.trim().split("\n")).toEqual(["/joined container:busybox1", "/hosted host", "/closed none"]);
    const mac = (name: string) => cli(a, "exec", name, "cat", "/sys/class/net/eth0/address");
    expect((await mac("joined")).out).toBe((await mac("busybox1")).out);
    expect((await cli(a, "exec", "closed", "ls", "/sys/class/net")).out.trim()).toBe("lo");
    const dns = await cli(a, "run", "--rm", "--dns", "8.8.8.8", "busybox", "cat", "/etc/resolv.conf");
    expect(dns.out).toContain("nameserver 8.8.8.8");
    const unnamed = await cli(a, "run", "-d", "busybox", "true");
    const name = (await cli(a, "inspect", "-f", "{{.Name}}", unnamed.out.trim())).out.trim();
    expect(name).toMatch(/^\/[a-z]+-[a-z]+\d*$/);
    expect((await cli(a, "rm", "-f", "joined", "hosted", "closed", name.slice(1))).code).toBe(0);
  }, 60_000);

  it("run -it in a terminal: the shell answers, Ctrl-P Ctrl-Q detaches, exec -it enters, --rm removes on exit", async () => {
    const detached = terminal(a, "run", "-it", "--name", "tty2", "busybox", "sh");
    await detached.waitFor("/ # ");
    detached.type("echo in-$((6*7))\r");
    await detached.waitFor("in-42");
    detached.type("\x10\x11");
    expect(await detached.exited()).toBe(0);
    expect((await cli(a, "ps", "--format", "{{.Names}} {{.State}}")).out).toContain("tty2 running");

    const exec = terminal(a, "exec", "-it", "tty2", "sh");
    await exec.waitFor("/ # ");
    exec.type("tty; echo exec-$((7*6))\r");
    const after = await exec.waitFor("exec-42");
    expect(exec.output()).toContain("/dev/pts/");
    exec.type("exit\r");
    expect(await exec.exited()).toBe(0);
    void after;

    const removed = terminal(a, "run", "-it", "--rm", "--name", "tty3", "busybox", "sh");
    await removed.waitFor("/ # ");
    removed.type("exit 3\r");
    expect(await removed.exited()).toBe(3);
    await eventually("tty3 removed", async () => !(await cli(a, "ps", "-a", "--format", "{{.Names}}")).out.includes("tty3"));
    expect((await cli(a, "rm", "-f", "tty2")).code).toBe(0);
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
    [["events", "--since", "1s"], "`docker events` is not supported here"],
    [["run", "--network", "container:$(id)", "busybox"], "--network must be bridge, none, host"],
    [["run", "--network", "macvlan0", "busybox"], "network macvlan0 not found"],
    [["run", "-p", "80:80", "busybox"], "-p/--publish is not supported here"],
    [["run", "--user", "1000", "busybox"], "--user is not supported here"],
    [["run", "--device", "/dev/mem", "busybox"], "--device is not supported here"],
    [["run", "--security-opt", "seccomp=unconfined", "busybox"], "--security-opt is not supported here"],
    [["exec", "--privileged", "busybox1", "true"], "docker exec --privileged is not supported here"],
    [["exec", "-u", "nobody", "busybox1", "true"], "docker exec --user is not supported here"],
    [["network", "create", "--driver", "macvlan", "m1"], "--driver macvlan is not supported here"],
    [["network", "create", "-o", "parent=eth0", "m1"], "-o/--opt is not supported here"],
    [["network", "create", "--gateway", "10.9.0.9", "--subnet", "10.9.0.0/24", "m1"], "--gateway is not supported here"],
    [["network", "connect", "host", "busybox1"], "container cannot be connected to the host network"],
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

describe("streams", () => {
  it("exec -d runs without a stream", async () => {
    expect((await cli(a, "exec", "-d", "busybox1", "touch", "/tmp/detached")).code).toBe(0);
    await eventually("the detached exec's file", async () =>
      (await cli(a, "exec", "busybox1", "ls", "/tmp")).out.includes("detached"),
    );
  });

  it("bytes pipelined after a refused upgrade never reach the engine as a request", async () => {
    // An exec whose container is gone: the engine refuses its start (404) instead of upgrading.
    expect((await cli(a, "run", "-d", "--name", "victim", "busybox", "sleep", "300")).code).toBe(0);
    const created = await raw(a, "POST", "/v1.41/containers/victim/exec", { Cmd: ["true"], AttachStdout: true });
    const id = (JSON.parse(created.body) as { Id: string }).Id;
    expect((await cli(a, "rm", "-f", "victim")).code).toBe(0);
    const smuggled = "GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n\r\n";
    const answer = await upgrade(a, `/v1.41/exec/${id}/start`, smuggled);
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain(`"message":"No such exec instance: ${id}"`);
    expect(answer.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(answer).not.toMatch(/secret|wireroom|"Names"/);
  });
});

describe("quotas", () => {
  it("the session's container and network quotas answer one line through the CLI", async () => {
    const strict = loadProvisionerConfig({ ...process.env, MAX_CONTAINERS_PER_SESSION: "2", MAX_NETWORKS_PER_SESSION: "0" });
    const quota = await serve(
      b.sid,
      "quota",
      { ratePerSecond: 500, burst: 1000 },
      sessionRuntimeFromConfig(strict, TEST_INSTALLATION),
    );
    try {
      expect((await cli(quota, "run", "-d", "--name", "q1", "busybox", "sleep", "300")).code).toBe(0);
      const full = await cli(quota, "run", "-d", "--name", "q2", "busybox", "sleep", "300");
      expect(full.code).not.toBe(0);
      expect(full.err).toMatch(/^docker: Error response from daemon: a session may have at most 2 containers; [^\n]*\.\n/);
      const net = await cli(quota, "network", "create", "qnet");
      expect(net.code).not.toBe(0);
      expect(net.err).toMatch(/^Error response from daemon: a session may have at most 0 networks of its own; [^\n]*\n$/);
      expect((await cli(quota, "rm", "-f", "q1")).code).toBe(0);
    } finally {
      await quota.api.close();
    }
  }, 60_000);
});

describe("connections", () => {
  it("at most maxConnections at once; the next is answered 429 and the endpoint keeps serving", async () => {
    const tight = await serve(a.sid, "tight", { ratePerSecond: 500, burst: 1000, maxConnections: 2 });
    const sockets = [connect(tight.socket), connect(tight.socket)];
    try {
      await Promise.all(sockets.map((sk) => new Promise((resolve) => sk.once("connect", resolve))));
      const third = await raw(tight, "GET", "/v1.41/version");
      expect(third.status).toBe(429);
      expect(JSON.parse(third.body).message).toContain("too many docker commands running at once in this session (at most 2)");
      sockets.forEach((sk) => sk.destroy());
      await eventually("a free slot", async () => (await raw(tight, "GET", "/v1.41/version")).status === 200);
    } finally {
      sockets.forEach((sk) => sk.destroy());
      await tight.api.close();
    }
  });

  it("a request that is not HTTP gets 400 and the endpoint keeps serving", async () => {
    const sk = connect(a.socket);
    let answer = "";
    sk.on("data", (d: Buffer) => (answer += d.toString()));
    sk.write("\x00\x01 garbage\r\n\r\n");
    await eventually("a 400 answer", () => answer.startsWith("HTTP/1.1 400"));
    sk.destroy();
    expect((await raw(a, "GET", "/v1.41/version")).status).toBe(200);
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
    const bExec = await raw(b, "POST", `/v1.41/containers/secret/exec`, { Cmd: ["true"], AttachStdout: true });
    expect(bExec.status).toBe(201);
    const execId = (JSON.parse(bExec.body) as { Id: string }).Id;
    expect((await raw(a, "GET", `/v1.41/exec/${execId}/json`)).status).toBe(404);
    expect((await raw(a, "POST", `/v1.41/exec/${execId}/resize?h=10&w=10`)).status).toBe(404);
    expect((await raw(b, "GET", `/v1.41/exec/${execId}/json`)).status).toBe(200);
    for (const target of [`/v1.41/exec/${execId}/start`, `/v1.41/containers/${bId}/attach?stream=1&stdout=1`]) {
      expect(await upgrade(a, target)).toMatch(/^HTTP\/1\.1 404 [^\n]*\r\n[^]*"message":"No such (exec instance|container): /);
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
