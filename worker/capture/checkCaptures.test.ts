// The rolling captures of capture checks: started for what a lab watches once it is there, before
// each Check, and the request carries only the facts of its step's interfaces.
import { describe, expect, it } from "vitest";
import { checkSchema, labSchema, type Lab } from "~/core/labs/schema";
import type { EngineView } from "~/core/sessions/engineView";
import type { DecodedPacket } from "~/protocol/terminalProtocol";
import type { CheckJob } from "../checks/runner";
import { createCheckCaptures, presentIn, type RollingCaptures } from "./checkCaptures";
import { RollingBusy, rollingWords } from "./rolling";

const check = (id: string, container: string, iface: string) =>
  checkSchema.parse({
    id,
    description: "d",
    points: 1,
    failure: "f",
    kind: "capture",
    on: { container, interface: iface },
    expect: { arp: "request", for: "busybox2" },
  });
const lab: Lab = labSchema.parse({
  slug: "wire",
  title: "t",
  summary: "s",
  estimatedMinutes: 1,
  defaultTerminal: "host",
  steps: [
    { id: "one", title: "t", instructions: "i", solution: "s", checks: [check("a", "busybox2", "eth0")] },
    {
      id: "two",
      title: "t",
      instructions: "i",
      solution: "s",
      checks: [check("b", "host", "docker0"), check("c", "busybox2", "eth0")],
    },
  ],
});

const packet: DecodedPacket = {
  no: 1,
  ts: 5,
  len: 42,
  caplen: 42,
  src: "10.1.0.2",
  dst: "ff:ff:ff:ff:ff:ff",
  protocol: "ARP",
  info: "Who has 10.1.0.3? Tell 10.1.0.2",
  layers: [{ name: "Ethernet", fields: [] }],
  arp: {
    op: "request",
    senderIp: "10.1.0.2",
    senderMac: "02:42:0a:01:00:02",
    targetIp: "10.1.0.3",
    targetMac: "00:00:00:00:00:00",
  },
};

function fakeRolling(missing: string[] = [], busy: string[] = []) {
  const ensured: string[] = [];
  const running = new Set<string>();
  const rolling: RollingCaptures = {
    async ensureRolling(sessionId, container, iface) {
      ensured.push(`${container}/${iface}`);
      if (missing.includes(container)) throw new Error(`no container ${container}`);
      if (busy.includes(container)) throw new RollingBusy(rollingWords.tooMuchTraffic(container, iface));
      running.add(`${container}/${iface}`);
    },
    rollingPackets: (sessionId, container, iface) => (running.has(`${container}/${iface}`) ? [packet] : undefined),
    async stopRolling() {
      running.clear();
    },
  };
  return { rolling, ensured };
}

const view = (names: string[], interfaces: Record<string, string[]>): EngineView => ({
  networks: [],
  drivers: [],
  containers: names.map((name) => ({ name, networkMode: "bridge", running: true })),
  topology: {
    networks: [],
    dns: [],
    namespaces: Object.entries(interfaces).map(([owner, names]) => ({
      owner,
      kind: owner === "host" ? ("host" as const) : ("container" as const),
      members: owner === "host" ? [] : [owner],
      interfaces: names.map((name) => ({ name, ipv4: [], up: true })),
    })),
  },
});

describe("check captures", () => {
  it("a changed view starts the lab's watched interfaces that are there now, each once", async () => {
    const { rolling, ensured } = fakeRolling();
    let reads = 0;
    const captures = createCheckCaptures(rolling, async () => (reads++, { lab, view: view([], { host: ["docker0", "eth0"] }) }));
    // At READY: the stored view.
    await captures.viewChanged("s1");
    expect(ensured).toEqual(["host/docker0"]);
    await captures.viewChanged("s1", view(["busybox2"], { host: ["docker0"], busybox2: ["lo", "eth0"] }));
    expect(ensured.slice(1).sort()).toEqual(["busybox2/eth0", "host/docker0"]);
    expect(reads).toBe(1); // the lab's targets are remembered
    await captures.ended("s1");
    await captures.viewChanged("s1", view([], {}));
    expect(reads).toBe(2);
  });

  it("a session whose lab watches nothing, or that is not READY, starts nothing", async () => {
    const { rolling, ensured } = fakeRolling();
    const plain = labSchema.parse({ ...lab, steps: [] });
    let reads = 0;
    const captures = createCheckCaptures(
      rolling,
      async (id) => (reads++, id === "plain" ? { lab: plain, view: null } : undefined),
    );
    await captures.viewChanged("plain", view([], { host: ["docker0"] }));
    await captures.viewChanged("plain", view([], { host: ["docker0"] }));
    await captures.viewChanged("gone");
    expect(ensured).toEqual([]);
    expect(reads).toBe(2);
  });

  it("without a topology, a running container (or the session host) counts as there", () => {
    const bare: EngineView = {
      networks: [],
      drivers: [],
      containers: [{ name: "busybox2", networkMode: "bridge", running: false }],
    };
    expect(presentIn(bare, { container: "busybox2", iface: "eth0" })).toBe(false);
    expect(presentIn(bare, { container: "host", iface: "docker0" })).toBe(true);
    expect(presentIn(view(["busybox2"], { busybox2: ["lo"] }), { container: "busybox2", iface: "eth0" })).toBe(false);
  });

  it("a Check starts what is missing, then carries its step's packets only, as facts; a missing container is left out quietly", async () => {
    const { rolling, ensured } = fakeRolling(["busybox2"]);
    const seen: CheckJob[] = [];
    const runner = createCheckCaptures(rolling, async () => undefined).runner({
      run: async (job) => {
        seen.push(job);
        return [];
      },
      close: async () => {},
    });
    await runner.run({ sessionId: "s1", lab, params: { token: "t" }, stepId: "two" });
    expect(ensured.sort()).toEqual(["busybox2/eth0", "host/docker0"]);
    expect(seen[0]!.captures).toEqual({
      "host/docker0": [{ ts: 5, protocol: "ARP", arp: { op: "request", senderIp: "10.1.0.2", targetIp: "10.1.0.3" } }],
    });
    await runner.run({ sessionId: "s1", lab, params: { token: "t" }, stepId: "one" });
    expect(seen[1]!.captures).toEqual({});
  });

  it("a lab without capture checks passes its requests through untouched", async () => {
    const { rolling, ensured } = fakeRolling();
    const plain = labSchema.parse({ ...lab, steps: [] });
    const jobs: CheckJob[] = [];
    const runner = createCheckCaptures(rolling, async () => undefined).runner({
      run: async (job) => (jobs.push(job), []),
      close: async () => {},
    });
    await runner.run({ sessionId: "s1", lab: plain, params: { token: "t" } });
    expect(ensured).toEqual([]);
    expect(jobs[0]).not.toHaveProperty("captures");
  });

  it("an interface refused for now (a flood, no room) says so in the check's words, not 'nothing is captured'", async () => {
    const { rolling } = fakeRolling([], ["busybox2"]);
    const runner = createCheckCaptures(rolling, async () => undefined).runner({
      run: async () => [
        { checkId: "b", stepId: "two", passed: false, points: 0, message: "no ARP request" },
        { checkId: "c", stepId: "two", passed: false, points: 0, message: "nothing is captured on busybox2's eth0" },
      ],
      close: async () => {},
    });
    const outcomes = await runner.run({ sessionId: "s1", lab, params: { token: "t" }, stepId: "two" });
    expect(outcomes.map((o) => o.message)).toEqual([
      "no ARP request",
      "too much traffic on busybox2's eth0 to watch; try again in a few seconds",
    ]);
  });
});
