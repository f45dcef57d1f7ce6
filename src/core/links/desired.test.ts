import { describe, expect, it } from "vitest";
import { bridgedInterfaces, desiredLinks, interfacesOf, namespaceOwnerOf, type LinkEngineView } from "./desired";

const SPEC = { delayMs: 200, jitterMs: 0, lossPct: 0, rateKbit: null };
const CLASS = { delayMs: 100, jitterMs: 0, lossPct: 5, rateKbit: null };
const PLATFORM = ["host"];

const containers = [
  { name: "busybox1", networkMode: "bridge", running: true },
  { name: "busybox2", networkMode: "container:busybox1", running: true },
  { name: "web", networkMode: "host", running: true },
  { name: "alone", networkMode: "none", running: true },
  { name: "lan", networkMode: "mynet", running: true },
];
const withoutTopology: LinkEngineView = { containers };
const withTopology: LinkEngineView = {
  containers,
  topology: {
    namespaces: [
      { owner: "host", members: ["web"], interfaces: [{ name: "lo" }, { name: "docker0", network: "bridge" }, { name: "eth0" }] },
      { owner: "busybox1", members: ["busybox1", "busybox2"], interfaces: [{ name: "lo" }, { name: "eth0", network: "bridge" }] },
      { owner: "alone", members: ["alone"], interfaces: [{ name: "lo" }] },
      // Made on a user network, then connected to the default bridge: its bridge leg is eth1.
      {
        owner: "lan",
        members: ["lan"],
        interfaces: [
          { name: "eth0", network: "mynet" },
          { name: "eth1", network: "bridge" },
        ],
      },
    ],
  },
};

describe("a session's desired link impairments", () => {
  it("names the namespace a container's links land in: its own, the one it joined, or the session host's", () => {
    for (const view of [withoutTopology, withTopology]) {
      expect(namespaceOwnerOf(view, "busybox1", PLATFORM)).toBe("busybox1");
      expect(namespaceOwnerOf(view, "busybox2", PLATFORM)).toBe("busybox1");
      expect(namespaceOwnerOf(view, "web", PLATFORM)).toBe("host");
      expect(namespaceOwnerOf(view, "host", PLATFORM)).toBe("host");
      expect(namespaceOwnerOf(view, "dns", PLATFORM)).toBeUndefined(); // no lab DNS in this session
      expect(namespaceOwnerOf(view, "elsewhere", PLATFORM)).toBeUndefined();
    }
    expect(interfacesOf(withTopology, "busybox1")).toEqual(["lo", "eth0"]);
    expect(interfacesOf(withoutTopology, "busybox1")).toBeUndefined();
  });

  it("puts the class's setting on every learner namespace's default-bridge leg, never the session host's", () => {
    expect(bridgedInterfaces(withTopology)).toEqual([
      { container: "busybox1", iface: "eth0" },
      { container: "lan", iface: "eth1" },
    ]);
    expect(bridgedInterfaces(withoutTopology)).toEqual([{ container: "busybox1", iface: "eth0" }]);
  });

  it("is the session's rows, and the class's setting where it applies (the class's wins on the same interface)", () => {
    const rows = [
      { container: "busybox1", iface: "eth0", spec: SPEC },
      { container: "host", iface: "docker0", spec: SPEC },
    ];
    expect(desiredLinks(rows, null, withTopology)).toEqual([
      { container: "busybox1", iface: "eth0", spec: SPEC, source: "session" },
      { container: "host", iface: "docker0", spec: SPEC, source: "session" },
    ]);
    expect(desiredLinks(rows, CLASS, withTopology)).toEqual([
      { container: "busybox1", iface: "eth0", spec: CLASS, source: "class" },
      { container: "host", iface: "docker0", spec: SPEC, source: "session" },
      { container: "lan", iface: "eth1", spec: CLASS, source: "class" },
    ]);
    expect(desiredLinks([], CLASS, null)).toEqual([]);
  });
});
