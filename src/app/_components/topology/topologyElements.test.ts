import { describe, expect, it } from "vitest";
import type { TopologyView } from "~/core/sessions/engineView";
import { linkBadge, topologyElements, type TopologyLink } from "./topologyElements";

const lo = { name: "lo", ipv4: ["127.0.0.1/8"], up: true };
const topology: TopologyView = {
  namespaces: [
    {
      owner: "host",
      kind: "host",
      members: ["hosted"],
      interfaces: [
        lo,
        { name: "docker0", mac: "02:42:0a:00:00:01", ipv4: ["10.0.0.1/16"], network: "bridge", up: true },
        { name: "eth0", mac: "02:42:c0:a8:41:03", ipv4: ["192.168.65.3/28"], up: true },
      ],
    },
    {
      owner: "busybox1",
      kind: "container",
      members: ["busybox1", "joined"],
      interfaces: [lo, { name: "eth0", mac: "02:42:0a:00:00:02", ipv4: ["10.0.0.2/16"], network: "bridge", up: true }],
    },
    {
      owner: "busybox2",
      kind: "container",
      members: ["busybox2"],
      interfaces: [lo, { name: "eth0", mac: "02:42:0a:00:00:03", ipv4: ["10.0.0.3/16"], network: "bridge", up: true }],
    },
    { owner: "closed", kind: "none", members: ["closed"], interfaces: [lo] },
  ],
  networks: [{ name: "bridge", driver: "bridge", subnet: "10.0.0.0/16", gateway: "10.0.0.1" }],
  dns: [
    { container: "busybox1", embedded: false, servers: [{ address: "10.0.0.1", target: "host" }] },
    { container: "joined", embedded: false, servers: [{ address: "10.0.0.1", target: "host" }] },
    { container: "hosted", embedded: false, servers: [{ address: "127.0.0.1", target: "host" }] },
    { container: "closed", embedded: false, servers: [] },
  ],
};

describe("the topology's graph elements", () => {
  const links: TopologyLink[] = [
    { container: "busybox2", iface: "eth0", spec: { delayMs: 200, jitterMs: 20, lossPct: 5, rateKbit: 1000 }, source: "session" },
  ];
  const { nodes, edges } = topologyElements(topology, links);
  const node = (id: string) => nodes.find((n) => n.id === id);

  it("draws the session host as a compound with docker0, eth0 and its host-mode container; a shared namespace with both members; none alone with lo", () => {
    expect(nodes.filter((n) => n.parent === "ns:host").map((n) => n.id)).toEqual(["c:hosted", "if:host:docker0", "if:host:eth0"]);
    expect(nodes.filter((n) => n.parent === "ns:busybox1").map((n) => n.id)).toEqual([
      "c:busybox1",
      "c:joined",
      "if:busybox1:eth0",
    ]);
    expect(node("ns:busybox1")?.container).toBeUndefined(); // two containers: each opens its own terminal
    expect(node("ns:busybox2")).toMatchObject({ label: "busybox2", container: "busybox2" });
    expect(nodes.filter((n) => n.parent === "ns:closed").map((n) => n.id)).toEqual(["if:closed:lo"]);
    expect(edges.some((e) => e.source.startsWith("if:closed"))).toBe(false);
    expect(node("net:bridge")?.label).toBe("bridge\nbridge 10.0.0.0/16");
  });

  it("joins each interface to its network with its IPv4 and MAC, marks the impaired one, and draws DNS edges dashed (never to itself)", () => {
    expect(edges.find((e) => e.id === "leg:busybox2:eth0")).toMatchObject({
      source: "if:busybox2:eth0",
      target: "net:bridge",
      label: "10.0.0.3/16\n02:42:0a:00:00:03",
      kind: "leg",
    });
    expect(edges.some((e) => e.source === "if:host:eth0")).toBe(false); // eth0 leads nowhere
    expect(node("if:busybox2:eth0")).toMatchObject({ impaired: true, label: "eth0 ⚠ 200 ms ±20, 5% loss, 1 Mbit/s" });
    expect(node("if:busybox1:eth0")?.impaired).toBeUndefined();
    expect(edges.filter((e) => e.kind === "dns").map((e) => e.id)).toEqual(["dns:busybox1:host"]);
  });

  it("words a badge", () => {
    expect(linkBadge({ delayMs: 0, jitterMs: 0, lossPct: 50, rateKbit: null })).toBe("50% loss");
    expect(linkBadge({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 512 })).toBe("512 kbit/s");
  });
});
