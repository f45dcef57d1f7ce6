// Scope, resolution and the JSON the learner sees: learner names, nothing of the platform.
import { describe, expect, it } from "vitest";
import { learnerContainerInspect, learnerContainerSummary } from "./containerViews";
import { learnerWords, toAnswer } from "./errorMap";
import { sessionInfo } from "./info";
import { learnerNetworkView } from "./networkViews";
import { resolveContainer, resolveNetwork, scopeFrom } from "./scope";

const S = "5f0c3f0e-8a4c-4d5e-9b0a-0123456789ab";
const OTHER = "11111111-2222-4333-8444-555555555555";
const id = (c: string) => c.repeat(64);
const labels = (session: string, name: string, kind?: string) => ({
  "io.wireroom.session": session,
  "io.wireroom.name": name,
  ...(kind ? { "io.wireroom.kind": kind } : {}),
});

const scope = scopeFrom(
  S,
  [
    { Id: id("a"), Names: [`/wireroom-${S}-busybox1`], Labels: labels(S, "busybox1", "learner"), State: "running" },
    { Id: id("b"), Names: [`/wireroom-${S}-busybox2`], Labels: labels(S, "busybox2", "learner"), State: "exited" },
    { Id: id("c"), Names: [`/wireroom-${S}-host`], Labels: labels(S, "host", "host"), State: "running" },
    { Id: id("d"), Names: [`/wireroom-${OTHER}-secret`], Labels: labels(OTHER, "secret", "learner"), State: "running" },
  ],
  [
    { Id: id("1"), Name: `wireroom-${S}-net-bridge`, Driver: "bridge", Labels: labels(S, "bridge") },
    { Id: id("2"), Name: `wireroom-${S}-net-mynet`, Driver: "bridge", Labels: labels(S, "mynet") },
    { Id: id("3"), Name: `wireroom-${OTHER}-net-bridge`, Driver: "bridge", Labels: labels(OTHER, "bridge") },
  ],
);

describe("scope", () => {
  it("holds the learner's containers and the session's networks only", () => {
    expect(scope.containers.map((c) => c.name)).toEqual(["busybox1", "busybox2"]);
    expect(scope.platform.map((c) => c.name)).toEqual(["host"]);
    expect(scope.networks.map((n) => `${n.name}/${n.driver}`)).toEqual([
      "bridge/bridge",
      "mynet/bridge",
      "host/host",
      "none/null",
    ]);
  });

  it("resolves names, ids and unique prefixes; everything else is Docker's missing object", () => {
    expect(resolveContainer(scope, "busybox1").id).toBe(id("a"));
    expect(resolveContainer(scope, id("b")).name).toBe("busybox2");
    expect(resolveContainer(scope, "aaaa").name).toBe("busybox1");
    for (const ref of ["host", "secret", id("d"), "dd", `wireroom-${S}-busybox1`, `wireroom-${OTHER}-secret`, "../x", ""]) {
      expect(() => resolveContainer(scope, ref)).toThrow(`No such container: ${ref}`);
    }
    expect(resolveNetwork(scope, "mynet").id).toBe(id("2"));
    expect(() => resolveNetwork(scope, id("3"))).toThrow(`network ${id("3")} not found`);
    expect(() => resolveNetwork(scope, `wireroom-${S}-net-mynet`)).toThrow("not found");
  });
});

describe("views", () => {
  it("a ps row: learner name, network mode and networks; no labels or mounts", () => {
    const row = learnerContainerSummary(
      scope,
      {
        Id: id("a"),
        Names: [`/wireroom-${S}-busybox1`],
        Labels: labels(S, "busybox1", "learner"),
        HostConfig: { NetworkMode: `wireroom-${S}-net-bridge` },
        NetworkSettings: { Networks: { [`wireroom-${S}-net-bridge`]: { IPAddress: "10.1.0.2" } } },
        Mounts: [{ Source: "/var/lib/wireroom/files/x/resolv.conf" }],
        Image: "registry.local/wireroom-learner:7",
      },
      "busybox1",
    );
    expect(row).toMatchObject({ Names: ["/busybox1"], Labels: {}, Mounts: [], HostConfig: { NetworkMode: "bridge" } });
    expect(row.Image).toBe("busybox:latest");
    expect(row.NetworkSettings).toEqual({ Networks: { bridge: { IPAddress: "10.1.0.2" } } });
  });

  it("inspect: container:<id> and the session host in learner words, bridge address on top, no host paths", () => {
    const info = learnerContainerInspect(
      scope,
      {
        Id: id("b"),
        Name: `/wireroom-${S}-busybox2`,
        HostsPath: "/var/lib/docker/containers/x/hosts",
        LogPath: "/var/lib/docker/x.log",
        GraphDriver: { Data: { MergedDir: "/var/lib/docker/overlay2/x" } },
        HostConfig: { NetworkMode: `wireroom-${S}-net-bridge`, Binds: ["/x:/etc/resolv.conf:ro"], Privileged: false },
        Config: { Image: "registry.local/wireroom-learner:7", Labels: labels(S, "busybox2", "learner"), Tty: true },
        State: { Status: "running", Running: true, Pid: 48213 },
        NetworkSettings: {
          SandboxKey: "/var/run/docker/netns/abc",
          Networks: {
            [`wireroom-${S}-net-bridge`]: {
              IPAddress: "10.1.0.3",
              IPPrefixLen: 16,
              Gateway: "10.1.0.1",
              MacAddress: "02:42:0a:01:00:03",
            },
          },
        },
      },
      "busybox2",
    );
    const text = JSON.stringify(info);
    expect(text).not.toMatch(/wireroom|\/var\/lib|\/var\/run|resolv/);
    expect(info).toMatchObject({ Name: "/busybox2", Config: { Image: "busybox:latest", Labels: {}, Tty: true } });
    expect(info.State).toEqual({ Status: "running", Running: true, Pid: 0 });
    expect(info.NetworkSettings).toMatchObject({
      IPAddress: "10.1.0.3",
      IPPrefixLen: 16,
      Gateway: "10.1.0.1",
      Networks: { bridge: {} },
    });
    const host = learnerContainerInspect(scope, { HostConfig: { NetworkMode: `container:${id("c")}` } }, "x");
    expect((host.HostConfig as { NetworkMode: string }).NetworkMode).toBe("host");
    const joined = learnerContainerInspect(scope, { HostConfig: { NetworkMode: `container:${id("a")}` } }, "x");
    expect((joined.HostConfig as { NetworkMode: string }).NetworkMode).toBe("container:busybox1");
  });

  it("a network: learner name, no labels or options, only learner containers", () => {
    const view = learnerNetworkView(scope, resolveNetwork(scope, "bridge"), {
      Name: `wireroom-${S}-net-bridge`,
      Internal: true,
      Options: { "com.docker.network.bridge.name": "nlab-0123456789" },
      Labels: labels(S, "bridge"),
      IPAM: { Driver: "default", Config: [{ Subnet: "10.1.0.0/16" }] },
      Containers: { [id("a")]: { Name: `wireroom-${S}-busybox1`, IPv4Address: "10.1.0.2/16" }, [id("c")]: { Name: "x" } },
    });
    expect(JSON.stringify(view)).not.toMatch(/wireroom|nlab/);
    expect(view).toMatchObject({ Name: "bridge", Driver: "bridge", Internal: false, Options: {}, Labels: {} });
    expect(view.Containers).toEqual({ [id("a")]: { Name: "busybox1", IPv4Address: "10.1.0.2/16" } });
  });

  it("info: the session's counts, name and id; the engine's drivers; nothing of the machine", () => {
    const engine = {
      ID: "5RXB:2U72:BMVY",
      Name: "vm",
      Containers: 63,
      Plugins: { Network: ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"] },
      Swarm: { NodeID: "n1", NodeAddr: "127.0.0.1", LocalNodeState: "active", RemoteManagers: [{ Addr: "127.0.0.1:2377" }] },
      HttpProxy: "http://proxy.internal:3128",
      Labels: ["machine=vm"],
      ServerVersion: "20.10.24",
      DockerRootDir: "/srv/docker",
    };
    const info = sessionInfo(engine, scope, { ncpu: 1, memoryBytes: 256 << 20 });
    const text = JSON.stringify(info);
    for (const secret of ["5RXB", '"vm"', "n1", "127.0.0.1", "proxy.internal", "machine=vm", "/srv/docker"])
      expect(text).not.toContain(secret);
    expect(info).toMatchObject({
      Name: "host",
      Containers: 2,
      ContainersRunning: 1,
      ContainersStopped: 1,
      Images: 1,
      NCPU: 1,
      MemTotal: 256 << 20,
      ServerVersion: "20.10.24",
      Swarm: { LocalNodeState: "inactive", NodeID: "", NodeAddr: "" },
      Plugins: { Network: ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"] },
    });
    expect(info.ID).toMatch(/^([0-9A-F]{4}:){11}[0-9A-F]{4}$/);
  });
});

describe("error map", () => {
  it("passes the engine's message in learner words, or a generic line when it names anything else", () => {
    expect(learnerWords(`Container wireroom-${S}-busybox1 is not running`, scope, [])).toBe("Container busybox1 is not running");
    expect(learnerWords(`conflict with wireroom-${OTHER}-secret`, scope, [])).toBeUndefined();
    expect(learnerWords(`in use by ${id("d")}`, scope, [])).toBeUndefined();
    expect(learnerWords("installation 00000000-feed", scope, ["00000000-feed"])).toBeUndefined();
    expect(toAnswer(new Error("boom at /var/lib/x"), scope, [])).toEqual({
      status: 500,
      message: "the session's Docker endpoint failed on this request; try again",
    });
  });
});
