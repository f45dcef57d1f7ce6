import { describe, expect, it } from "vitest";
import type { InterfaceView } from "./engineView";
import { buildTopology, namespaceOwner, type TopologyContainer } from "./topology";

const lo: InterfaceView = { name: "lo", ipv4: ["127.0.0.1/8"], up: true };
const leg = (name: string, network: string, ip: string): InterfaceView => ({
  name,
  mac: "02:42:0a:00:00:02",
  ipv4: [ip],
  network,
  up: true,
});

const containers: TopologyContainer[] = [
  { name: "host", role: "host", networkMode: "bridge", running: true, resolvers: ["127.0.0.1"] },
  { name: "dns", role: "dns", networkMode: "bridge", running: true, resolvers: ["10.0.255.253"] },
  { name: "b1", role: "learner", networkMode: "bridge", running: true, resolvers: ["10.0.0.1"] },
  { name: "j1", role: "learner", networkMode: "container:b1", running: true, resolvers: ["10.0.0.1"] },
  { name: "j2", role: "learner", networkMode: "container:j1", running: true, resolvers: ["10.0.0.1"] },
  { name: "h1", role: "learner", networkMode: "host", running: true, resolvers: ["127.0.0.1"] },
  { name: "n1", role: "learner", networkMode: "none", running: true, resolvers: [] },
  { name: "u1", role: "learner", networkMode: "mynet", running: true },
  { name: "d1", role: "learner", networkMode: "bridge", running: true, resolvers: ["10.0.255.253"] },
  { name: "x1", role: "learner", networkMode: "mynet", running: false, resolvers: ["8.8.8.8"] },
  { name: "g1", role: "learner", networkMode: "bridge", running: true, resolvers: ["8.8.8.8"] },
];
const interfaces = new Map<string, InterfaceView[]>([
  ["host", [lo, leg("docker0", "bridge", "10.0.0.1/16"), { name: "eth0", ipv4: ["192.168.65.3/28"], up: true }]],
  ["dns", [lo, leg("eth0", "bridge", "10.0.255.253/16")]],
  ["b1", [lo, leg("eth0", "bridge", "10.0.0.2/16")]],
  ["n1", [lo]],
  ["g1", [lo, leg("eth0", "bridge", "10.0.0.7/16")]],
  ["u1", [lo, leg("eth0", "mynet", "10.1.0.2/24")]],
  ["x1", [lo, leg("eth0", "mynet", "10.1.0.9/24")]],
]);

describe("the session's topology", () => {
  const t = buildTopology({ containers, interfaces, networks: [{ name: "bridge", driver: "bridge", subnet: "10.0.0.0/16" }] });

  it("follows container: chains to the namespace's owner, and host mode to the session host", () => {
    expect(namespaceOwner(containers, "j2")).toBe("b1");
    expect(namespaceOwner(containers, "h1")).toBe("host");
    expect(namespaceOwner(containers, "gone")).toBe("gone");
    const loop: TopologyContainer[] = [
      { name: "a", role: "learner", networkMode: "container:b", running: true },
      { name: "b", role: "learner", networkMode: "container:a", running: true },
    ];
    expect(["a", "b"]).toContain(namespaceOwner(loop, "a"));
  });

  it("lists the session host first with its host-mode members, sharers as one namespace, none alone, a stopped owner without interfaces", () => {
    expect(t.namespaces.map((n) => [n.owner, n.kind, n.members.join(" ")])).toEqual([
      ["host", "host", "h1"],
      ["dns", "dns", ""],
      ["b1", "container", "b1 j1 j2"],
      ["n1", "none", "n1"],
      ["u1", "container", "u1"],
      ["d1", "container", "d1"],
      ["x1", "container", "x1"],
      ["g1", "container", "g1"],
    ]);
    expect(t.namespaces.find((n) => n.owner === "x1")?.interfaces).toEqual([]);
    expect(t.namespaces.find((n) => n.owner === "host")?.interfaces.map((i) => i.name)).toEqual(["lo", "docker0", "eth0"]);
  });

  it("says where each container's DNS questions go", () => {
    const target = (c: string) => t.dns.find((d) => d.container === c);
    expect(target("b1")).toEqual({ container: "b1", embedded: false, servers: [{ address: "10.0.0.1", target: "host" }] });
    expect(target("j2")?.servers).toEqual([{ address: "10.0.0.1", target: "host" }]);
    expect(target("h1")?.servers).toEqual([{ address: "127.0.0.1", target: "host" }]);
    expect(target("n1")).toEqual({ container: "n1", embedded: false, servers: [] });
    expect(target("u1")).toEqual({ container: "u1", embedded: true, servers: [{ address: "127.0.0.11", target: "host" }] });
    expect(target("d1")?.servers).toEqual([{ address: "10.0.255.253", target: "dns" }]);
    // 8.8.8.8 from the default bridge leaves by .1, where the session host answers; from an internal network, nowhere.
    expect(target("g1")?.servers).toEqual([{ address: "8.8.8.8", target: "host" }]);
    expect(target("x1")?.servers).toEqual([{ address: "8.8.8.8", target: null }]);
    expect(t.dns.map((d) => d.container)).not.toContain("host");
  });
});
