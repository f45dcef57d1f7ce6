import { describe, expect, it } from "vitest";
import { parseExecCreate } from "./execRequest";
import { parseConnect, parseNetworkCreate } from "./networkRequests";

/** What the 20.10 CLI sends for `docker network create --driver bridge --subnet 10.5.0.0/24 mynet`. */
const cli = (over: Record<string, unknown> = {}) => ({
  CheckDuplicate: true,
  Driver: "bridge",
  Scope: "",
  EnableIPv6: false,
  IPAM: { Driver: "default", Options: {}, Config: [{ Subnet: "10.5.0.0/24" }] },
  Internal: false,
  Attachable: false,
  Ingress: false,
  ConfigOnly: false,
  ConfigFrom: null,
  Options: {},
  Labels: {},
  Name: "mynet",
  ...over,
});

describe("network requests", () => {
  it("reads create", () => {
    expect(parseNetworkCreate(cli())).toEqual({ name: "mynet", driver: "bridge", subnet: "10.5.0.0/24" });
    expect(parseNetworkCreate(cli({ Driver: "overlay", IPAM: { Driver: "default", Config: [] } }))).toEqual({
      name: "mynet",
      driver: "overlay",
    });
  });

  it.each([
    [{ Driver: "macvlan" }, "--driver macvlan is not supported here; docker network create accepts"],
    [{ Options: { parent: "eth0" } }, "-o/--opt is not supported here"],
    [{ Labels: { a: "b" } }, "--label is not supported here"],
    [{ EnableIPv6: true }, "--ipv6 is not supported here"],
    [{ IPAM: { Config: [{ Subnet: "10.5.0.0/24", Gateway: "10.5.0.9" }] } }, "--gateway is not supported here"],
    [{ IPAM: { Config: [{ Subnet: "10.5.0.0/24", IPRange: "10.5.0.0/28" }] } }, "--ip-range is not supported here"],
    [{ IPAM: { Config: [{ Subnet: "10.5.0.0/33" }] } }, "--subnet 10.5.0.0/33 is not accepted"],
    [{ IPAM: { Config: [{ Subnet: "10.5.0/24" }] } }, "--subnet 10.5.0/24 is not accepted"],
    [{ Name: "bridge" }, "invalid network name"],
    [{ Name: "a;b" }, "invalid network name"],
  ])("refuses %j", (over, message) => {
    expect(() => parseNetworkCreate(cli(over))).toThrow(message);
  });

  it("reads connect and refuses endpoint options", () => {
    const endpoint = { IPAMConfig: {}, Links: null, Aliases: [], NetworkID: "", IPAddress: "", IPPrefixLen: 0, DriverOpts: {} };
    expect(parseConnect({ Container: "busybox1", EndpointConfig: endpoint }, "connect")).toEqual({
      container: "busybox1",
      force: false,
    });
    expect(() => parseConnect({ Container: "b", EndpointConfig: { ...endpoint, Aliases: ["x"] } }, "connect")).toThrow(
      "--alias is not supported",
    );
    expect(() =>
      parseConnect({ Container: "b", EndpointConfig: { IPAMConfig: { IPv4Address: "10.0.0.9" } } }, "connect"),
    ).toThrow("--ip is not supported");
  });

  it("exec: root only, never privileged", () => {
    const body = {
      User: "",
      Privileged: false,
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Detach: false,
      DetachKeys: "",
      Env: null,
      WorkingDir: "",
      Cmd: ["sh"],
    };
    expect(parseExecCreate(body)).toMatchObject({ Cmd: ["sh"], Tty: true, Env: [] });
    expect(() => parseExecCreate({ ...body, Privileged: true })).toThrow("docker exec --privileged is not supported here");
    expect(() => parseExecCreate({ ...body, User: "nobody" })).toThrow("docker exec --user is not supported here");
  });
});
