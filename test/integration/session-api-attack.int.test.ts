// A learner attacking the session's Docker API endpoint from the host terminal: raw HTTP tricks,
// create/exec/network bodies the CLI never sends, names and ids of another session, the platform's
// own containers, floods, and the disk. Each attack must fail, with a clear answer, and leave the
// other session (B) untouched.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProvisionerConfig } from "../../worker/config";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import { containerName, networkName } from "../../worker/provisioner/docker/names";
import { createSessionApi } from "../../worker/provisioner/docker/sessionApi/server";
import { parseCidr, pickFreeSubnet, toIp } from "../../worker/provisioner/docker/subnets";
import { TEST_INSTALLATION } from "../support/engine";
import { eventually } from "../support/eventually";
import { startLab, sh, teardownAll } from "../support/lab";
import {
  dockerCli as cli,
  endpointConfig as config,
  endpointDocker as docker,
  GENEROUS_LIMITS,
  httpCall as call,
  rawBytes,
  serveEndpoint,
  statuses,
  type Endpoint,
} from "../support/sessionEndpoint";

let dir: string;
let a: Endpoint;
let b: Endpoint;
let bId: string;
let bNet: { id: string; engineName: string; subnet: string };
let aHostId: string;
let aDnsId: string;

const get = (p: string) => `GET ${p} HTTP/1.1\r\nHost: docker\r\n\r\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "d-attack-"));
  const [la, lb] = await Promise.all([
    startLab({ containers: [{ name: "busybox1" }], labDns: true }),
    startLab({ networks: [{ name: "bnet", driver: "bridge" }], containers: [{ name: "secret" }] }),
  ]);
  [a, b] = await Promise.all([serveEndpoint(dir, la.sessionId, "a"), serveEndpoint(dir, lb.sessionId, "b")]);
  bId = (await docker.getContainer(containerName(b.sid, "secret")).inspect()).Id;
  const net = await docker.getNetwork(networkName(b.sid, "bnet")).inspect();
  bNet = { id: net.Id, engineName: net.Name, subnet: net.IPAM!.Config![0]!.Subnet! };
  aHostId = (await docker.getContainer(containerName(a.sid, "host")).inspect()).Id;
  aDnsId = (await docker.getContainer(containerName(a.sid, "dns")).inspect()).Id;
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.api.close(), b?.api.close()]);
  await teardownAll();
  await rm(dir, { recursive: true, force: true });
}, 120_000);

/** B's container is still there and running, whatever A tried. */
async function bUntouched() {
  expect((await docker.getContainer(bId).inspect()).State.Running).toBe(true);
}

describe("paths, versions and HTTP tricks", () => {
  it("other API versions, doubled slashes, encoded dots and absolute targets reach nothing of B or the engine", async () => {
    for (const p of [
      `/v1.12/containers/${bId}/json`,
      `/v1.24/containers/${bId}/json`,
      `/v9/containers/${bId}/json`,
      `/containers/${containerName(b.sid, "secret")}/json`,
      `/containers/%2e%2e%2fcontainers%2f${bId}/json`,
      `/containers/${bId.slice(0, 12)}%2f/json`,
    ]) {
      const r = await call(a, "GET", p);
      expect(r.status, p).toBe(404);
      expect(r.message, p).toMatch(/^No such container: /);
    }
    for (const p of ["//containers/json?all=1", "/v1.41//containers/json?all=1", "/./containers/json", "/containers/../info"]) {
      const r = await call(a, "GET", p);
      expect(r.body, p).not.toContain(bId);
      expect(r.body, p).not.toContain("secret");
    }
    const absolute = await rawBytes(a, get(`http://docker/containers/${bId}/json`), (s) => s.includes("}"));
    expect(statuses(absolute)).toEqual([404]);
    await bUntouched();
  });

  it("duplicated and crafted filters never widen a listing", async () => {
    const bLabel = JSON.stringify({ label: [`io.wireroom.session=${b.sid}`] });
    const own = JSON.stringify({ name: ["busybox1"] });
    for (const q of [
      `filters=${encodeURIComponent(own)}&filters=${encodeURIComponent(bLabel)}`,
      `filters=${encodeURIComponent(JSON.stringify({ __proto__: { label: ["x"] }, id: [bId] }))}`,
      `filters=${encodeURIComponent(JSON.stringify({ id: { [bId]: true } }))}`,
      `all=1&all=0&filters=${encodeURIComponent(JSON.stringify({ label: { "io.wireroom.kind=host": true } }))}`,
    ]) {
      const r = await call(a, "GET", `/v1.41/containers/json?${q}`);
      expect(r.status, q).toBe(200);
      expect(r.body, q).not.toContain(bId);
      expect(r.body, q).not.toContain(aHostId);
    }
    const nets = await call(a, "GET", `/v1.41/networks?filters=${encodeURIComponent(JSON.stringify({ id: [bNet.id] }))}`);
    expect(JSON.parse(nets.body)).toEqual([]);
    const bad = await call(a, "GET", `/v1.41/containers/json?filters=${encodeURIComponent("[1,2]")}`);
    expect(bad.status).toBe(400);
    expect(bad.message).toBe("filters must be a JSON object");
  });

  it("every route outside the table is refused in one line naming the docker command", async () => {
    const cases: [string, string, string][] = [
      ["GET", `/v1.41/containers/busybox1/archive?path=/etc`, "`docker cp` is not supported here"],
      ["PUT", `/v1.41/containers/busybox1/archive?path=/`, "`docker cp` is not supported here"],
      ["HEAD", `/v1.41/containers/busybox1/archive?path=/`, ""],
      ["GET", `/v1.41/containers/busybox1/export`, "`docker export` is not supported here"],
      ["POST", `/v1.41/commit?container=busybox1`, "`docker commit` is not supported here"],
      ["POST", `/v1.41/build`, "`docker build` is not supported here"],
      ["POST", `/session`, "`docker build` is not supported here"],
      ["POST", `/grpc`, "`docker buildx` is not supported here"],
      ["GET", `/v1.41/distribution/busybox/json`, "`docker pull` is not supported here"],
      ["GET", `/v1.41/swarm`, "`docker swarm` is not supported here"],
      ["POST", `/v1.41/swarm/leave?force=1`, "`docker swarm` is not supported here"],
      ["GET", `/v1.41/plugins`, "`docker plugin` is not supported here"],
      ["GET", `/v1.41/system/df`, "`docker system df` is not supported here"],
      ["GET", `/v1.41/events?filters=${encodeURIComponent('{"type":["container"]}')}`, "`docker events` is not supported here"],
      ["POST", `/v1.41/containers/prune`, "`docker container prune` is not supported here"],
      ["POST", `/v1.41/networks/prune`, "`docker network prune` is not supported here"],
      ["GET", `/v1.41/images/busybox/get`, "is not supported here"],
      ["POST", `/v1.41/images/load`, "is not supported here"],
      ["POST", `/v1.41/containers/busybox1/update`, "`docker update` is not supported here"],
      ["POST", `/v1.41/containers/busybox1/rename?name=x`, "`docker rename` is not supported here"],
      ["GET", `/v1.41/containers/busybox1/stats`, "`docker stats` is not supported here"],
      ["GET", `/v1.41/volumes`, "`docker volume` is not supported here"],
      ["POST", `/v1.41/auth`, "`docker login` is not supported here"],
      ["GET", `/v1.41/services`, "`docker service` is not supported here"],
    ];
    for (const [method, p, message] of cases) {
      const r = await call(a, method, p);
      expect(r.status, `${method} ${p}`).toBe(403);
      if (message) expect(r.message, `${method} ${p}`).toContain(message);
    }
    const cp = await cli(a, "cp", "busybox1:/etc/hostname", dir);
    expect(cp.err).toContain("`docker cp` is not supported here");
  });

  it("pipelined requests on one keep-alive connection are each checked; HTTP/1.0 too", async () => {
    const answer = await rawBytes(
      a,
      get("/_ping") +
        get(`/v1.41/containers/${bId}/json`) +
        `DELETE /v1.41/containers/${bId}?force=1 HTTP/1.1\r\nHost: docker\r\n\r\n` +
        `POST /v1.41/containers/${bId}/kill HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n` +
        get("/v1.41/version"),
      (s) => statuses(s).length === 5,
    );
    expect(statuses(answer)).toEqual([200, 404, 404, 404, 200]);
    const old = await rawBytes(a, `GET /v1.41/containers/${bId}/json HTTP/1.0\r\n\r\n`, (s) => s.includes("}"));
    expect(statuses(old.replace("HTTP/1.0", "HTTP/1.1"))).toEqual([404]);
    await bUntouched();
  });

  it("request smuggling (Content-Length with chunked, doubled lengths) is refused as unreadable", async () => {
    for (const bytes of [
      `POST /v1.41/networks/create HTTP/1.1\r\nHost: d\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n` +
        get(`/v1.41/containers/${bId}/json`),
      `POST /v1.41/networks/create HTTP/1.1\r\nHost: d\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}` +
        get(`/v1.41/containers/${bId}/json`),
    ]) {
      const answer = await rawBytes(a, bytes, () => false);
      expect(statuses(answer)[0]).toBe(400);
      expect(answer).not.toContain(bId);
    }
    await bUntouched();
  });

  it("a chunked body is limited like any other; deep or hostile JSON answers 400 and the endpoint serves on", async () => {
    const chunk = `{"Name":"${"x".repeat(70 * 1024)}"}`;
    const big = await rawBytes(
      a,
      `POST /v1.41/networks/create HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      (s) => s.includes("}"),
    );
    expect(statuses(big)).toEqual([413]);
    const deep = await call(a, "POST", "/v1.41/containers/create", "[".repeat(60_000));
    expect(deep.status).toBe(400);
    const nested = await call(
      a,
      "POST",
      "/v1.41/containers/create",
      '{"Image":"busybox","HostConfig":' + '{"a":'.repeat(10_000) + "1" + "}".repeat(10_001),
    );
    expect(nested.status).toBe(400);
    expect(nested.message).toBe("the request body nests more than 16 levels of objects or lists; docker sends far fewer");
    const proto = await call(
      a,
      "POST",
      "/v1.41/containers/create",
      '{"Image":"busybox","__proto__":{"HostConfig":{"Privileged":true}}}',
    );
    expect(proto.status).toBe(400);
    expect((await call(a, "GET", "/v1.41/version")).status).toBe(200);
  });

  it("an upgrade on any route but attach and exec start is refused before anything reaches the engine", async () => {
    const body = JSON.stringify({ Image: "busybox", HostConfig: { Privileged: true } });
    const answer = await rawBytes(
      a,
      `POST /v1.41/containers/create?name=up HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      (s) => s.includes("}"),
    );
    expect(statuses(answer)).toEqual([400]);
    expect(answer).toContain("only attach and exec start are upgraded");
    expect((await cli(a, "ps", "-a", "--format", "{{.Names}}")).out.trim().split("\n")).not.toContain("up");
  });
});

describe("what answers tell of the host", () => {
  it("inspect shows no host pid and the image as the learner named it; version only what the CLI prints", async () => {
    const inspect = await cli(a, "inspect", "--format", "{{.State.Pid}} {{.Config.Image}} {{.State.Running}}", "busybox1");
    expect(inspect.out.trim()).toBe("0 busybox:latest true");
    expect((await cli(a, "ps", "--format", "{{.Image}}", "--filter", "name=busybox1")).out.trim()).toBe("busybox:latest");
    const version = await cli(a, "version");
    expect(version.out).toContain("API version:       1.41");
    expect(version.out).not.toMatch(/containerd|runc|docker-init/);
    const body = JSON.parse((await call(a, "GET", "/v1.41/version")).body) as { Components: { Name: string }[] };
    expect(body.Components.map((c) => c.Name)).toEqual(["Engine"]);
  });
});

describe("create bodies the CLI never sends", () => {
  const engineMode = () => containerName(b.sid, "secret");
  const cases: [string, Record<string, unknown>, string][] = [
    ["Mounts", { HostConfig: { Mounts: [{ Type: "bind", Source: "/", Target: "/host" }] } }, "--mount is not supported here"],
    ["Binds", { HostConfig: { Binds: ["/:/host"] } }, "-v/--volume is not supported here"],
    ["Volumes", { Volumes: { "/data": {} } }, "-v/--volume is not supported here"],
    ["VolumesFrom", { HostConfig: { VolumesFrom: ["x"] } }, "--volumes-from is not supported here"],
    ["DeviceRequests", { HostConfig: { DeviceRequests: [{ Count: -1 }] } }, "--gpus is not supported here"],
    ["Runtime", { HostConfig: { Runtime: "runc" } }, "--runtime is not supported here"],
    ["CgroupParent", { HostConfig: { CgroupParent: "/" } }, "--cgroup-parent is not supported here"],
    ["Init", { HostConfig: { Init: true } }, "--init is not supported here"],
    ["StorageOpt", { HostConfig: { StorageOpt: { size: "100G" } } }, "--storage-opt is not supported here"],
    ["OomKillDisable", { HostConfig: { OomKillDisable: true } }, "--oom-kill-disable is not supported here"],
    ["ExtraHosts", { HostConfig: { ExtraHosts: ["a:1.2.3.4"] } }, "--add-host is not supported here"],
    ["Privileged as a string", { HostConfig: { Privileged: "false" } }, "--privileged is not supported here"],
    ["PidsLimit", { HostConfig: { PidsLimit: -1 } }, "--pids-limit is not supported here"],
    ["Memory", { HostConfig: { Memory: 1 << 40 } }, "--memory is not supported here"],
    ["UsernsMode", { HostConfig: { UsernsMode: "host" } }, "--userns is not supported here"],
    ["an unknown HostConfig key", { HostConfig: { Privileged2: true } }, "the option Privileged2 is not supported here"],
    ["a lower-case key", { HostConfig: { privileged: true } }, "the option privileged is not supported here"],
    ["Entrypoint", { Entrypoint: ["/bin/sh"] }, "--entrypoint is not supported here"],
    ["Labels", { Labels: { "io.wireroom.session": "x" } }, "--label is not supported here"],
    ["Env too large", { Env: Array.from({ length: 65 }, (_, i) => `K${i}=v`) }, "at most 64 -e variables"],
    ["Env without a key", { Env: ["=x"] }, "-e takes KEY=VALUE"],
    ["Dns IPv6", { HostConfig: { Dns: ["::1"] } }, "--dns takes IPv4 addresses"],
    ["Dns not a list", { HostConfig: { Dns: "8.8.8.8" } }, "--dns takes IPv4 addresses"],
    ["Dns a name", { HostConfig: { Dns: ["dns.google"] } }, "--dns takes IPv4 addresses"],
    ["Dns four", { HostConfig: { Dns: ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"] } }, "at most 3 --dns"],
    ["an image by digest", { Image: "busybox@sha256:" + "0".repeat(64) }, "is not available here"],
    [
      "an endpoint with an address",
      { NetworkingConfig: { EndpointsConfig: { bridge: { IPAMConfig: { IPv4Address: "10.0.0.9" } } } } },
      "--ip/--network-alias/--link is not supported here",
    ],
    ["HostConfig not an object", { HostConfig: "privileged" }, "HostConfig and NetworkingConfig must be objects"],
  ];
  for (const [what, over, message] of cases) {
    it(`refuses ${what}`, async () => {
      const r = await call(a, "POST", "/v1.41/containers/create", { Image: "busybox", ...over });
      expect(r.status).toBe(400);
      expect(r.message).toContain(message);
    });
  }

  it("network modes naming B's or the platform's objects by engine name, id or prefix are refused", async () => {
    for (const mode of [
      `container:${engineMode()}`,
      `container:${bId.slice(0, 12)}`,
      `container:${bId}`,
      `container:${containerName(a.sid, "host")}`,
      `container:${aHostId.slice(0, 12)}`,
      "container:host",
      bNet.engineName,
      bNet.id.slice(0, 12),
      networkName(a.sid, "bridge"),
      "container:busybox1/../x",
    ]) {
      const r = await call(a, "POST", "/v1.41/containers/create", { Image: "busybox", HostConfig: { NetworkMode: mode } });
      expect(r.status, mode).toBe(400);
      expect(r.message, mode).toMatch(/No such container|not found|--network must be/);
    }
    const listed = await cli(a, "ps", "-a", "--format", "{{.Names}}");
    expect(listed.out.trim().split("\n")).toEqual(["busybox1"]);
  });

  it("an EndpointsConfig naming B's network (empty, as the CLI sends) attaches nothing of B's", async () => {
    const r = await call(a, "POST", "/v1.41/containers/create?name=ep", {
      Image: "busybox",
      HostConfig: { NetworkMode: "bridge" },
      NetworkingConfig: { EndpointsConfig: { [bNet.engineName]: {}, [bNet.id]: {} } },
    });
    expect(r.status).toBe(201);
    const info = await docker.getContainer(containerName(a.sid, "ep")).inspect();
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([networkName(a.sid, "bridge")]);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect((await cli(a, "rm", "-f", "ep")).code).toBe(0);
  });

  it("names with '/', '..', unicode, 10 KB or another session's engine name are refused in one line", async () => {
    for (const name of [
      "a/b",
      "..",
      "../secret",
      "bü",
      "x".repeat(10_000),
      containerName(b.sid, "secret"),
      "host",
      "dns",
      "Busybox",
    ]) {
      const r = await call(a, "POST", `/v1.41/containers/create?name=${encodeURIComponent(name)}`, { Image: "busybox" });
      expect(r.status, name.slice(0, 40)).toBe(400);
      expect(r.message, name.slice(0, 40)).toMatch(/^invalid container name ".*": /);
      expect(r.message!.length).toBeLessThan(400);
    }
    const query = await call(a, "POST", "/v1.41/containers/create?name=q1&platform=linux", { Image: "busybox" });
    expect(query.status).toBe(400);
  });
});

describe("exec and streams", () => {
  it("exec bodies: privileged, another user, a lower-case key or a bad command are refused", async () => {
    for (const [body, message] of [
      [{ Cmd: ["id"], Privileged: true }, "docker exec --privileged is not supported here"],
      [{ Cmd: ["id"], Privileged: "true" }, "docker exec --privileged is not supported here"],
      [{ Cmd: ["id"], User: "nobody" }, "docker exec --user is not supported here"],
      [{ Cmd: ["id"], User: 0 }, "docker exec --user is not supported here"],
      [{ Cmd: ["id"], privileged: true }, "docker exec: privileged is not supported here"],
      [{ Cmd: ["id"], user: "1000" }, "docker exec: user is not supported here"],
      [{ Cmd: [] }, "docker exec needs a command"],
      [{ Cmd: "id" }, "docker exec needs a command"],
    ] as [Record<string, unknown>, string][]) {
      const r = await call(a, "POST", "/v1.41/containers/busybox1/exec", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.message).toContain(message);
    }
  });

  it("an exec's WorkingDir or environment grant nothing: still root without capabilities in the container", async () => {
    const created = await call(a, "POST", "/v1.41/containers/busybox1/exec", {
      Cmd: ["sh", "-c", "pwd; grep CapEff /proc/self/status; touch /x 2>&1 || echo ro"],
      WorkingDir: "/proc/1/root",
      Env: ["LD_PRELOAD=/tmp/x.so", "PATH=/tmp"],
      AttachStdout: true,
      AttachStderr: true,
    });
    expect(created.status).toBe(201);
    const out = await cli(
      a,
      "exec",
      "-w",
      "/proc/1/root",
      "busybox1",
      "sh",
      "-c",
      "grep CapEff /proc/self/status; touch /x || echo ro",
    );
    expect(out.out).toMatch(/CapEff:\s+0{16}/);
    expect(out.out).toContain("ro");
  });

  it("the platform's containers cannot be attached to, logged or exec'd by id prefix", async () => {
    for (const ref of [
      aHostId.slice(0, 4),
      aHostId.slice(0, 12),
      aHostId,
      containerName(a.sid, "host"),
      "host",
      aDnsId.slice(0, 12),
      containerName(a.sid, "dns"),
      "dns",
    ]) {
      expect((await call(a, "GET", `/v1.41/containers/${ref}/logs?stdout=1`)).status, ref).toBe(404);
      expect((await call(a, "POST", `/v1.41/containers/${ref}/exec`, { Cmd: ["id"] })).status, ref).toBe(404);
      const attach = await rawBytes(
        a,
        `POST /v1.41/containers/${ref}/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
        (s) => s.includes("}"),
      );
      expect(statuses(attach), ref).toEqual([404]);
    }
  });

  it("an id prefix A and B share resolves to A's container only", async () => {
    const aId = (await docker.getContainer(containerName(a.sid, "busybox1")).inspect()).Id;
    const r = await call(a, "GET", `/v1.41/containers/${aId.slice(0, 1)}/json`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).Id).toBe(aId);
    const other = [..."0123456789abcdef"].find((h) => h !== aId[0] && h !== aHostId[0])!;
    expect((await call(a, "GET", `/v1.41/containers/${other}/json`)).status).toBe(404);
  });
});

describe("network bodies", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["Options", { Options: { "com.docker.network.bridge.name": "docker0" } }, "-o/--opt is not supported here"],
    ["ConfigFrom", { ConfigFrom: { Network: "x" } }, "--config-from is not supported here"],
    ["Ingress", { Ingress: true }, "--ingress is not supported here"],
    ["Scope", { Scope: "global" }, "--scope is not supported here"],
    ["ConfigOnly", { ConfigOnly: true }, "--config-only is not supported here"],
    ["EnableIPv6", { EnableIPv6: true }, "--ipv6 is not supported here"],
    ["Driver host", { Driver: "host" }, "--driver host is not supported here"],
    ["Driver null", { Driver: "null" }, "--driver null is not supported here"],
    ["Driver ipvlan", { Driver: "ipvlan" }, "--driver ipvlan is not supported here"],
    ["Driver with a space", { Driver: "bridge " }, "--driver bridge  is not supported here"],
    ["IPAM driver", { IPAM: { Driver: "null" } }, "--ipam-driver is not supported here"],
    ["two subnets", { IPAM: { Config: [{ Subnet: "10.213.1.0/24" }, { Subnet: "10.213.2.0/24" }] } }, "more than one --subnet"],
    ["a gateway", { IPAM: { Config: [{ Subnet: "10.213.1.0/24", Gateway: "10.213.1.9" }] } }, "--gateway is not supported here"],
    ["a name with '/'", { Name: "a/b" }, "invalid network name"],
    ["B's engine name", { Name: "" }, "invalid network name"],
  ];
  for (const [what, over, message] of cases) {
    it(`refuses ${what}`, async () => {
      const body = { Name: "n1", CheckDuplicate: true, Driver: "bridge", ...over };
      if (what === "B's engine name") body.Name = bNet.engineName;
      const r = await call(a, "POST", "/v1.41/networks/create", body);
      expect(r.status).toBe(400);
      expect(r.message).toContain(message);
    });
  }

  it("a subnet outside the learner pool (the bridges' pool, B's subnet) is refused in one line", async () => {
    for (const subnet of ["10.0.0.0/24", bNet.subnet, "0.0.0.0/24", "127.0.0.0/24"]) {
      const r = await cli(a, "network", "create", "--subnet", subnet, "grab");
      expect(r.code, subnet).not.toBe(0);
      expect(r.err.trim().split("\n"), subnet).toHaveLength(1);
    }
    expect((await cli(a, "network", "ls", "--format", "{{.Name}}")).out).not.toContain("grab");
    // Inside the pool, the runtime's own rule decides (a /29 is accepted, a /16 refused), one message for both.
    // The /29 is one that no network on the engine overlaps: other test files allocate from the
    // same pool in parallel, and the runtime refuses an overlap with a message of its own.
    const pool = parseCidr(config.LAB_SUBNET_POOL);
    const freeSmall = async () => {
      const used = (await docker.listNetworks()).flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ""));
      return pickFreeSubnet(config.LAB_SUBNET_POOL, used.filter(Boolean), `small-${Date.now()}`, 29)!;
    };
    let created = await cli(a, "network", "create", "--subnet", await freeSmall(), "small");
    if (created.err.includes("overlaps a network in use")) {
      created = await cli(a, "network", "create", "--subnet", await freeSmall(), "small");
    }
    expect(created.err).toBe("");
    expect((await cli(a, "network", "rm", "small")).code).toBe(0);
    const wide = await cli(a, "network", "create", "--subnet", `${toIp(pool.start)}/16`, "wide");
    expect(wide.err).toContain("--subnet must be an IPv4 CIDR from /24 to /29 inside");
  });

  it("connect with an address, or of B's container, or to B's network, or of the session host, is refused", async () => {
    for (const [target, body, status] of [
      [
        "bridge",
        { Container: "busybox1", EndpointConfig: { IPAMConfig: { IPv4Address: bNet.subnet.replace(/0\/\d+$/, "77") } } },
        400,
      ],
      ["bridge", { Container: bId }, 404],
      [bNet.id, { Container: "busybox1" }, 404],
      [bNet.engineName, { Container: "busybox1" }, 404],
      ["bridge", { Container: "host" }, 404],
      ["bridge", { Container: aHostId.slice(0, 12) }, 404],
    ] as [string, Record<string, unknown>, number][]) {
      const r = await call(a, "POST", `/v1.41/networks/${target}/connect`, body);
      expect(r.status, `${target} ${JSON.stringify(body)}`).toBe(status);
    }
    const d = await call(a, "POST", `/v1.41/networks/bridge/disconnect`, { Container: "host", Force: true });
    expect(d.status).toBe(404);
    expect((await docker.getContainer(aHostId).inspect()).NetworkSettings.Networks[networkName(a.sid, "bridge")]).toBeDefined();
  });
});

describe("the session host", () => {
  it("its /var/run is read-only: the socket cannot be replaced; /proc/sys and sysrq cannot be written", async () => {
    const attempts = [
      "touch /var/run/x",
      "rm -f /var/run/docker.sock",
      "mkdir /var/run/d",
      "echo 1 > /proc/sysrq-trigger",
      "echo '|/tmp/x' > /proc/sys/kernel/core_pattern",
      "mount -o remount,rw /var/run",
    ];
    for (const attempt of attempts) {
      const r = await sh(a.sid, "host", `${attempt} 2>&1`);
      expect(r.exitCode, attempt).not.toBe(0);
      expect(r.output, attempt).toMatch(/Read-only file system|[Pp]ermission denied|Operation not permitted|can't create/);
    }
    expect((await sh(a.sid, "host", "ls -A /var/run")).output.trim()).toBe("docker.sock");
    expect((await cli(a, "ps", "--format", "{{.Names}}")).out).toContain("busybox1");
  });
});

describe("limits on what others share", () => {
  it("a fork bomb in a learner container stops at the pids limit; the endpoint keeps answering", async () => {
    const r = await cli(
      a,
      "run",
      "--rm",
      "--name",
      "bomb",
      "busybox",
      "sh",
      "-c",
      "n=0; while [ $n -lt 400 ]; do sleep 30 & n=$((n+1)); done 2>/dev/null; ls /proc | grep -c '^[0-9]'; kill $(jobs -p) 2>/dev/null; true",
    );
    expect(Number(r.out.trim())).toBeLessThanOrEqual(config.CONTAINER_PIDS_LIMIT);
    expect((await call(a, "GET", "/v1.41/version")).status).toBe(200);
  }, 60_000);

  it("a create/rm loop with fresh names leaves no resolv.conf behind", async () => {
    const folder = path.join(path.resolve(config.LAB_FILES_DIR), a.sid);
    const before = (await readdir(folder)).filter((f) => f.endsWith(".resolv.conf"));
    for (let i = 0; i < 6; i++) {
      const r = await call(a, "POST", `/v1.41/containers/create?name=loop${i}`, {
        Image: "busybox",
        HostConfig: { Dns: ["8.8.8.8"] },
      });
      expect(r.status).toBe(201);
      expect((await call(a, "DELETE", `/v1.41/containers/loop${i}?force=1`)).status).toBe(204);
    }
    const after = (await readdir(folder)).filter((f) => f.endsWith(".resolv.conf"));
    expect(after.filter((f) => !before.includes(f)).length).toBeLessThanOrEqual(1);
  }, 60_000);

  it("creates fired in parallel cannot pass the container and network quotas", async () => {
    const strict = loadProvisionerConfig({ ...process.env, MAX_CONTAINERS_PER_SESSION: "3", MAX_NETWORKS_PER_SESSION: "1" });
    const quota = await serveEndpoint(dir, a.sid, "quota", undefined, sessionRuntimeFromConfig(strict, TEST_INSTALLATION));
    try {
      const names = Array.from({ length: 6 }, (_, i) => `par${i}`);
      const made = await Promise.all(
        names.map((n) => call(quota, "POST", `/v1.41/containers/create?name=${n}`, { Image: "busybox" })),
      );
      expect(made.filter((r) => r.status === 201)).toHaveLength(2); // busybox1 is the third
      expect(made.find((r) => r.status !== 201)?.message).toMatch(/^a session may have at most 3 containers; /);
      const nets = await Promise.all(
        ["pn1", "pn2", "pn3"].map((n) => call(quota, "POST", "/v1.41/networks/create", { Name: n })),
      );
      expect(nets.filter((r) => r.status === 201)).toHaveLength(1);
      const listed = await cli(quota, "ps", "-aq");
      expect(listed.out.trim().split("\n")).toHaveLength(3);
    } finally {
      for (const n of Array.from({ length: 6 }, (_, i) => `par${i}`))
        await call(quota, "DELETE", `/v1.41/containers/${n}?force=1`);
      for (const n of ["pn1", "pn2", "pn3"]) await call(quota, "DELETE", `/v1.41/networks/${n}`);
      await quota.api.close();
    }
  });

  it("a create loop is slowed to the create budget, with a message; refused creates spend none of it", async () => {
    const tight = await serveEndpoint(dir, a.sid, "creates", {
      ratePerSecond: 500,
      burst: 1000,
      createsPerMinute: 1,
      createBurst: 2,
    });
    try {
      // Refused before anything is created: these cost the engine nothing and spend no budget.
      for (let i = 0; i < 3; i++)
        expect((await cli(tight, "run", "-d", "alpine", "true")).err).toContain("image alpine is not available");
      expect((await cli(tight, "network", "create", "bad/name")).code).not.toBe(0);
      for (const n of ["budget1", "budget2"]) expect(await cli(tight, "network", "create", n)).toMatchObject({ code: 0 });
      const third = await cli(tight, "network", "create", "budget3");
      expect(third.err).toContain(
        "too many containers and networks created in this session (at most 1 a minute after the first 2)",
      );
      expect((await cli(tight, "run", "-d", "busybox", "true")).err).toContain("too many containers and networks created");
      const names = (await cli(tight, "network", "ls", "--format", "{{.Name}}")).out.trim().split("\n");
      expect(names).toEqual(expect.arrayContaining(["budget1", "budget2"]));
      expect(names).not.toContain("budget3");
      expect((await cli(tight, "ps", "-a", "--format", "{{.Names}}")).out).toContain("busybox1");
    } finally {
      for (const n of ["budget1", "budget2"]) await call(tight, "DELETE", `/v1.41/networks/${n}`);
      await tight.api.close();
    }
  });

  it("requests pipelined on a connection over the cap are not served, upgrades neither", async () => {
    const created: string[] = []; // the creates that reached the runtime (recorded, nothing made)
    const recording = {
      createContainer: async () => ({ id: "0".repeat(64) }),
      createNetwork: async (_sid: string, net: { name: string }) => (created.push(net.name), { id: "0".repeat(64) }),
    };
    const capped = await serveEndpoint(dir, a.sid, "capped", { ...GENEROUS_LIMITS, maxConnections: 2 }, recording);
    const held = [connect(capped.socket), connect(capped.socket)];
    const create = (name: string) => {
      const body = JSON.stringify({ Name: name, Driver: "bridge", CheckDuplicate: true });
      return `POST /v1.41/networks/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    try {
      for (const sk of held) {
        let answer = "";
        sk.on("data", (d: Buffer) => (answer += d.toString("latin1")));
        sk.write(get("/_ping"));
        await eventually("a ping on a held connection", () => statuses(answer).length === 1);
      }
      const answer = await rawBytes(capped, create("capped1") + create("capped2"), () => false);
      expect(statuses(answer)).toEqual([429]);
      expect(answer).toContain("too many docker commands running at once in this session (at most 2)");
      const attach = await rawBytes(
        capped,
        `POST /v1.41/containers/busybox1/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
        () => false,
      );
      expect(statuses(attach)).toEqual([429]);
      // Once a connection is free, the same create is served: it reaches the runtime, alone.
      held[0]!.destroy();
      await eventually(
        "a create on a free connection",
        async () => statuses(await rawBytes(capped, create("free"), (s) => s.includes("}")))[0] === 201,
      );
      expect(created).toEqual(["free"]);
    } finally {
      for (const sk of held) sk.destroy();
      await capped.api.close();
    }
  });

  it("pings pipelined by the thousand are limited like any other request; the connection ends at its first 429", async () => {
    const tight = await serveEndpoint(dir, a.sid, "pings", { ratePerSecond: 5, burst: 20 });
    try {
      const codes = statuses(await rawBytes(tight, get("/_ping").repeat(5000), () => false));
      expect(codes.length).toBeLessThanOrEqual(22);
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(20);
      expect(codes.at(-1)).toBe(429);
      // Pings have their own bucket: the CLI still gets its commands through.
      expect((await cli(tight, "ps", "-a", "--format", "{{.Names}}")).out).toContain("busybox1");
    } finally {
      await tight.api.close();
    }
  });
});

/**
 * The engine's socket behind a counting proxy that holds the engine's answers until `release()`:
 * a test can let a client leave while the endpoint waits for the engine, then see whether the
 * endpoint's engine connection is ever closed.
 */
async function gatedEngine(socketPath: string) {
  const engineSocket = new URL(config.DOCKER_HOST ?? "unix:///var/run/docker.sock").pathname;
  const open = new Map<Socket, number>();
  let opened = 0;
  let held: (() => void)[] = [];
  let gated = true;
  const server: Server = createServer((from) => {
    open.set(from, opened++);
    const to = connect(engineSocket);
    const forward = () => to.pipe(from);
    if (gated) held.push(forward);
    else forward();
    from.pipe(to);
    const end = () => {
      open.delete(from);
      from.destroy();
      to.destroy();
    };
    for (const s of [from, to]) s.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    /** Connections still open among those opened since the `since`th. */
    openSince: (since: number) => [...open.values()].filter((n) => n >= since).length,
    opened: () => opened,
    release() {
      gated = false;
      for (const f of held) f();
      held = [];
    },
    hold: () => (gated = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a client that leaves while the endpoint waits for the engine", () => {
  let engine: Awaited<ReturnType<typeof gatedEngine>>;
  let gatedApi: ReturnType<typeof createSessionApi>;
  let e: Endpoint;

  beforeAll(async () => {
    engine = await gatedEngine(path.join(dir, "engine.sock"));
    gatedApi = createSessionApi({
      docker,
      engineSocket: engine.socketPath,
      sessionId: a.sid,
      installationId: TEST_INSTALLATION,
      runtime: sessionRuntimeFromConfig(config, TEST_INSTALLATION),
      limits: { memoryMb: config.CONTAINER_MEMORY_MB },
      images: { learner: config.LAB_IMAGE, host: config.LAB_HOST_IMAGE },
      log: (line) => console.error(line),
      api: GENEROUS_LIMITS,
    });
    e = { sid: a.sid, socket: path.join(dir, "gated.sock"), api: gatedApi, home: dir };
    await gatedApi.listen(e.socket);
  });

  afterAll(async () => {
    await gatedApi?.close();
    await engine?.close();
  });

  /** Sends `bytes`, leaves once the endpoint has called the engine, then lets the engine answer. */
  async function leaveDuringEngineCall(bytes: string): Promise<void> {
    engine.hold();
    const before = engine.opened();
    const client = connect(e.socket);
    client.on("error", () => undefined);
    client.write(bytes);
    await eventually("the endpoint's call to the engine", () => engine.opened() > before);
    await new Promise((resolve) => client.once("close", resolve).destroy());
    // A round trip on another connection: the endpoint has read the first one's close by its answer.
    expect((await call(e, "GET", "/_ping")).status).toBe(200);
    engine.release();
    await eventually("no engine connection left for the client", () => engine.openSince(before) === 0, { timeoutMs: 5_000 });
  }

  it("logs -f and wait: the engine's stream is closed", async () => {
    await leaveDuringEngineCall(get("/v1.41/containers/busybox1/logs?follow=1&stdout=1&stderr=1"));
    await leaveDuringEngineCall(
      `POST /v1.41/containers/busybox1/wait?condition=not-running HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n`,
    );
  });

  it("attach and exec start: the engine's connection (and the exec's stdin) is closed", async () => {
    await leaveDuringEngineCall(
      `POST /v1.41/containers/busybox1/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
    );
    engine.release();
    const created = await call(e, "POST", "/v1.41/containers/busybox1/exec", {
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Cmd: ["sh"],
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { Id: string }).Id;
    const start = JSON.stringify({ Detach: false, Tty: false });
    await leaveDuringEngineCall(
      `POST /v1.41/exec/${id}/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${start.length}\r\n\r\n${start}`,
    );
  });
});
