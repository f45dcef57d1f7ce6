// docker run's create body, as the 20.10 CLI sends it, read into a LearnerRun or refused in one line.
import { describe, expect, it } from "vitest";
import { parseRunRequest } from "./runRequest";

/** The body the 20.10 CLI sends for `docker run busybox` (captured from /usr/bin/docker). */
function cliBody(over: Record<string, unknown> = {}, host: Record<string, unknown> = {}) {
  return {
    Hostname: "",
    Domainname: "",
    User: "",
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: null,
    Cmd: null,
    Image: "busybox",
    Volumes: {},
    WorkingDir: "",
    Entrypoint: null,
    OnBuild: null,
    Labels: {},
    ...over,
    HostConfig: {
      Binds: null,
      ContainerIDFile: "",
      LogConfig: { Type: "", Config: {} },
      NetworkMode: "default",
      PortBindings: {},
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
      AutoRemove: false,
      CapAdd: null,
      Dns: [],
      Privileged: false,
      SecurityOpt: null,
      PidMode: "",
      MemorySwappiness: -1,
      ConsoleSize: [0, 0],
      Devices: [],
      ...host,
    },
    NetworkingConfig: { EndpointsConfig: {} },
  };
}

const q = (name?: string) => new URLSearchParams(name === undefined ? "" : `name=${encodeURIComponent(name)}`);

describe("parseRunRequest", () => {
  it("reads the allowed fields", () => {
    const run = parseRunRequest(
      cliBody(
        { Tty: true, OpenStdin: true, Env: ["A=1"], Cmd: ["sh", "-c", "x"], Hostname: "h1" },
        { Dns: ["8.8.8.8"], AutoRemove: true },
      ),
      q("busybox1"),
    );
    expect(run).toMatchObject({
      name: "busybox1",
      named: true,
      attach: { kind: "network", network: "bridge" },
      dns: ["8.8.8.8"],
      hostname: "h1",
      env: ["A=1"],
      cmd: ["sh", "-c", "x"],
      tty: true,
      openStdin: true,
      autoRemove: true,
    });
  });

  it.each([
    ["none", { kind: "none" }],
    ["host", { kind: "container", target: "host" }],
    ["container:busybox1", { kind: "container", target: "busybox1" }],
    ["mynet", { kind: "network", network: "mynet" }],
    ["bridge", { kind: "network", network: "bridge" }],
  ])("--network %s", (mode, attach) => {
    expect(parseRunRequest(cliBody({}, { NetworkMode: mode }), q("b")).attach).toEqual(attach);
  });

  it("a run without --name is marked unnamed", () => {
    expect(parseRunRequest(cliBody(), q()).named).toBe(false);
  });

  it.each([
    [{}, { Privileged: true }, "--privileged is not supported here; docker run accepts --name"],
    [{}, { CapAdd: ["NET_ADMIN"] }, "--cap-add is not supported here"],
    [{}, { Binds: ["/:/host"] }, "-v/--volume is not supported here"],
    [{}, { Mounts: [{ Type: "bind" }] }, "--mount is not supported here"],
    [{}, { PidMode: "host" }, "--pid is not supported here"],
    [{}, { IpcMode: "host" }, "--ipc is not supported here"],
    [{}, { Devices: [{ PathOnHost: "/dev/mem" }] }, "--device is not supported here"],
    [{}, { SecurityOpt: ["seccomp=unconfined"] }, "--security-opt is not supported here"],
    [{}, { PortBindings: { "80/tcp": [{ HostPort: "80" }] } }, "-p/--publish is not supported here"],
    [{}, { UsernsMode: "host" }, "--userns is not supported here"],
    [{}, { Sysctls: { "net.ipv4.ip_forward": "1" } }, "--sysctl is not supported here"],
    [{}, { RestartPolicy: { Name: "always" } }, "--restart is not supported here"],
    [{}, { Memory: 1 << 30 }, "--memory is not supported here"],
    [{ User: "1000" }, {}, "--user is not supported here"],
    [{ Entrypoint: ["/bin/sh"] }, {}, "--entrypoint is not supported here"],
    [{ Labels: { "io.wireroom.session": "other" } }, {}, "--label is not supported here"],
    [{ Volumes: { "/data": {} } }, {}, "-v/--volume is not supported here"],
    [{ Surprise: 1 }, {}, "the option Surprise is not supported here"],
  ])("refuses %j %j", (config, host, message) => {
    expect(() => parseRunRequest(cliBody(config, host), q("b"))).toThrow(message);
  });

  it.each(["alpine", "busybox:1.36", "evil.example/busybox", "", "wireroom/labhost:latest"])("refuses image %j", (image) => {
    expect(() => parseRunRequest(cliBody({ Image: image }), q("b"))).toThrow(/is not available here .*use busybox:latest/);
  });

  it.each(["busybox", "busybox:latest", "docker.io/library/busybox", "docker.io/library/busybox:latest"])(
    "accepts image %s",
    (image) => {
      expect(() => parseRunRequest(cliBody({ Image: image }), q("b"))).not.toThrow();
    },
  );

  it.each([
    "a'b",
    'a"b',
    "a;rm -rf /",
    "$(id)",
    "`id`",
    "x".repeat(300),
    "bü",
    "../etc",
    "wireroom-5f0c3f0e-8a4c-4d5e-9b0a-0123456789ab-busybox1",
    "host",
    "bridge",
    "Busybox",
  ])("refuses the name %j in one line", (name) => {
    let message = "";
    try {
      parseRunRequest(cliBody(), q(name));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid container name ".*": /);
    expect(message).not.toContain("\n");
    expect(message.length).toBeLessThan(200);
  });

  it.each([
    [{ Dns: ["8.8.8.8; reboot"] }, "--dns takes IPv4 addresses"],
    [{ Dns: ["::1"] }, "--dns takes IPv4 addresses"],
    [{ NetworkMode: "container:$(id)" }, "network must be"],
  ])("refuses bad values %j", (host, message) => {
    expect(() => parseRunRequest(cliBody({}, host), q("b"))).toThrow();
    void message;
  });

  it("refuses endpoint settings (--ip, --network-alias) and a bad hostname or env", () => {
    expect(() =>
      parseRunRequest({ ...cliBody(), NetworkingConfig: { EndpointsConfig: { mynet: { Aliases: ["x"] } } } }, q("b")),
    ).toThrow("--ip/--network-alias/--link is not supported here");
    expect(() => parseRunRequest(cliBody({ Hostname: "a b" }), q("b"))).toThrow("is not a valid host name");
    expect(() => parseRunRequest(cliBody({ Env: ["1X=y"] }), q("b"))).toThrow("-e takes KEY=VALUE");
  });
});
