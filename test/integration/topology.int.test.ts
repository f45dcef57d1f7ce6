// The session's topology on the real engine: the namespaces (the session host with docker0 and the
// host-mode container inside, `container:` sharers as one, `none` alone), every interface's name,
// IPv4 and MAC as `ip` shows them inside, the networks' subnets, where DNS goes; and it follows
// `docker run`, `docker network connect` and `docker rm` typed on the session's own Docker API
// (the real CLI on the session's socket, as in the host terminal), pushed to the page within a second.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { engineViewOf, type TopologyView } from "~/core/sessions/engineView";
import { Status } from "~/protocol/sessionStatus";
import type { LiveSessionEvent } from "~/server/api/routers/live";
import { eventually } from "../support/eventually";
import { until, type Live } from "../support/live";
import type { RunningWorker } from "../../worker/app";
import { loadProvisionerConfig } from "../../worker/config";
import { db, engine, learner, testWorker, waitForStatus } from "../support/harness";

const exec = promisify(execFile);
/**
 * The issue's figure: a change typed in the terminal reaches the page within a second. Measured
 * from the CLI's return (the engine's own create and start come before) to the pushed view:
 * 200-500 ms on an idle engine. Each of run, connect and rm is measured three times: their median
 * must be under the second, and no single one past PUSH_NEVER_MS (CI's parallel files' room; a
 * regression moves the median, one slow engine call does not).
 */
const PUSH_WITHIN_MS = 1_000;
const PUSH_NEVER_MS = 2_500;
const ROUNDS = 3;

let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
let socket: string;

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "network-modes" })).id;
  await waitForStatus(sessionId, [Status.ready]);
  socket = path.join(path.resolve(loadProvisionerConfig(process.env).LAB_FILES_DIR), sessionId, "run", "docker.sock");
  // This process's first subscription opens its LISTEN connection, which then asks every subscriber
  // to re-read after a random wait (up to 2 s; a web process's is long open): seen through here, so
  // the figures below are the push's, not that start-up's.
  const warm: Live = (await owner.api.live.session({ sessionId }))[Symbol.asyncIterator]();
  let progresses = 0;
  await until(warm, "the re-read after this process's LISTEN started", (e) =>
    e.type === "progress" && ++progresses === 2 ? true : undefined,
  );
  await warm.return?.();
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  if (sessionId) await engine.teardown(sessionId);
});

/** The host terminal's `docker`, on the session's socket. */
async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec("/usr/bin/docker", ["-H", `unix://${socket}`, ...args], { timeout: 30_000 });
  return stdout.trim();
}

/** `ip` inside a session container, read by the platform (the figures the view must match). */
async function ipIn(container: string): Promise<string> {
  return (await engine.run(sessionId, container, ["sh", "-c", "ip -o link; ip -o -4 addr"])).output;
}

async function stored(): Promise<TopologyView> {
  const row = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
  const topology = engineViewOf(row)?.topology;
  if (!topology) throw new Error("the session's engine view has no topology");
  return topology;
}

const ns = (t: TopologyView, owner: string) => t.namespaces.find((n) => n.owner === owner);
const iface = (t: TopologyView, owner: string, name: string) => ns(t, owner)?.interfaces.find((i) => i.name === name);

const topologyOf = (test: (t: TopologyView) => boolean) => (event: LiveSessionEvent) =>
  event.type === "progress" && event.progress.engine?.topology && test(event.progress.engine.topology)
    ? event.progress.engine.topology
    : undefined;

it("shows the session host with docker0, eth0 and the host-mode container, container: sharers as one namespace, none alone", async () => {
  const t = await stored();
  expect(t.namespaces[0]).toMatchObject({ owner: "host", kind: "host", members: ["hosted"] });
  const bridge = t.networks.find((n) => n.name === "bridge")!;
  expect(bridge.subnet).toMatch(/^10\.\d+\.0\.0\/16$/);
  const gateway = bridge.subnet!.replace(/0\.0\/16$/, "0.1");
  expect(iface(t, "host", "docker0")).toMatchObject({ ipv4: [`${gateway}/16`], network: "bridge", up: true });
  expect(iface(t, "host", "eth0")?.ipv4).toEqual(["192.168.65.3/28"]);
  expect(iface(t, "host", "eth0")?.network).toBeUndefined();
  expect(
    ns(t, "host")!
      .interfaces.map((i) => i.name)
      .sort(),
  ).toEqual(["docker0", "eth0", "eth1", "lo"]); // eth1: its leg on mynet
  expect(ns(t, "busybox1")).toMatchObject({ kind: "container", members: ["busybox1", "joined"] });
  expect(ns(t, "joined")).toBeUndefined();
  expect(ns(t, "closed")).toMatchObject({ kind: "none", members: ["closed"] });
  expect(ns(t, "closed")!.interfaces.map((i) => i.name)).toEqual(["lo"]);
  const mynet = t.networks.find((n) => n.name === "mynet")!;
  expect(mynet.subnet).toMatch(/\/24$/);

  // Each interface's address and MAC as `ip` shows them inside the container.
  for (const name of ["busybox1", "busybox2", "web"]) {
    const inside = await ipIn(name);
    const eth0 = iface(t, name, "eth0")!;
    expect(eth0.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(inside).toContain(`link/ether ${eth0.mac}`);
    expect(inside).toContain(`inet ${eth0.ipv4[0]} `);
    expect(eth0.network).toBe(name === "web" ? "mynet" : "bridge");
  }
  // DNS: the default bridge asks .1 (the session host), a user network Docker's embedded DNS (which
  // forwards to the session host), the host-mode container the session host's own labdns, none nothing.
  const dns = (c: string) => t.dns.find((d) => d.container === c);
  expect(dns("busybox1")).toEqual({ container: "busybox1", embedded: false, servers: [{ address: gateway, target: "host" }] });
  expect(dns("joined")?.servers).toEqual([{ address: gateway, target: "host" }]);
  expect(dns("web")).toEqual({ container: "web", embedded: true, servers: [{ address: "127.0.0.11", target: "host" }] });
  expect(dns("hosted")?.servers.every((s) => s.target === "host")).toBe(true);
  expect(dns("closed")).toEqual({ container: "closed", embedded: false, servers: [] });
});

it("follows docker run, network connect and rm typed on the session's API, each pushed to the page within a second (median of three)", async () => {
  const live: Live = (await owner.api.live.session({ sessionId }))[Symbol.asyncIterator]();
  const timed = async <T>(what: string, pick: (e: LiveSessionEvent) => T | undefined, started = performance.now()) => {
    const value = await until(live, what, pick, 10_000);
    return { value, ms: performance.now() - started };
  };
  try {
    await until(
      live,
      "the current view",
      topologyOf(() => true),
    );

    const figures: Record<"run" | "connect" | "rm", number[]> = { run: [], connect: [], rm: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      await docker("run", "-d", "--name", "dweb", "--dns", "8.8.8.8", "busybox", "sleep", "1000");
      const ran = await timed(
        "dweb in the topology",
        topologyOf((t) => !!iface(t, "dweb", "eth0")),
      );
      const eth0 = iface(ran.value, "dweb", "eth0")!;
      expect(eth0.network).toBe("bridge");
      expect(await ipIn("dweb")).toContain(`inet ${eth0.ipv4[0]} `);
      // --dns 8.8.8.8 on the default bridge: the question leaves by .1, where the session host answers it.
      expect(ran.value.dns.find((d) => d.container === "dweb")?.servers).toEqual([{ address: "8.8.8.8", target: "host" }]);

      await docker("network", "connect", "mynet", "dweb");
      const connected = await timed(
        "dweb's leg on mynet",
        topologyOf((t) => !!ns(t, "dweb")?.interfaces.some((i) => i.network === "mynet")),
      );
      const leg = ns(connected.value, "dweb")!.interfaces.find((i) => i.network === "mynet")!;
      expect(leg.name).toBe("eth1");
      expect(await ipIn("dweb")).toContain(`link/ether ${leg.mac}`);

      await docker("rm", "-f", "dweb");
      const removed = await timed(
        "dweb gone",
        topologyOf((t) => !ns(t, "dweb") && !t.dns.some((d) => d.container === "dweb")),
      );
      figures.run.push(ran.ms);
      figures.connect.push(connected.ms);
      figures.rm.push(removed.ms);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(
      "topology push latency after the CLI returned (ms): " +
        Object.entries(figures)
          .map(([what, ms]) => `${what} ${ms.map((m) => m.toFixed(0)).join("/")} (median ${median(ms).toFixed(0)})`)
          .join(", "),
    );
    for (const ms of Object.values(figures)) {
      expect(median(ms)).toBeLessThan(PUSH_WITHIN_MS);
      for (const one of ms) expect(one).toBeLessThan(PUSH_NEVER_MS);
    }
  } finally {
    await live.return?.();
  }
});

it("shows what the image's busybox reads, not a learner's `ip` early in PATH", async () => {
  // The fake claims an interface of its own bearing eth0's MAC and address (an `ip` looked up in PATH runs it).
  const script = [
    "#!/bin/sh",
    "m=$(cat /sys/class/net/eth0/address)",
    'echo "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"',
    'echo "7: evil0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue \\    link/ether $m brd ff:ff:ff:ff:ff:ff"',
    'echo "7: evil0    inet 10.99.0.5/24 scope global evil0"',
  ].join("\n");
  const fake = 'mkdir -p /dev/fakebin && printf "%s\\n" "$FAKE" > /dev/fakebin/ip && chmod +x /dev/fakebin/ip; exec sleep 1000';
  const live: Live = (await owner.api.live.session({ sessionId }))[Symbol.asyncIterator]();
  try {
    await docker(
      "run",
      "-d",
      "--name",
      "dfake",
      "-e",
      "PATH=/dev/fakebin:/bin:/sbin",
      "-e",
      "LD_PRELOAD=/dev/fakebin/x.so",
      "-e",
      `FAKE=${script}`,
      "busybox",
      "sh",
      "-c",
      fake,
    );
    await eventually("the learner's fake ip in place", async () => {
      const out = await docker("exec", "dfake", "ip", "-o", "link"); // an `ip` run by name, through the container's PATH
      if (!out.includes("evil0")) throw new Error(out);
      return true;
    });
    // Connecting changes its endpoints: its interfaces are read again with the fake in place.
    await docker("network", "connect", "mynet", "dfake");
    const t = await until(
      live,
      "dfake read after its connect",
      topologyOf((t) => !!ns(t, "dfake")?.interfaces.some((i) => i.network === "mynet" || i.name === "evil0")),
      10_000,
    );
    const macs = JSON.parse(await docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", "dfake")) as Record<
      string,
      { MacAddress: string }
    >;
    const names = ns(t, "dfake")!
      .interfaces.map((i) => i.name)
      .sort();
    expect(names).toEqual(["eth0", "eth1", "lo"]);
    expect(iface(t, "dfake", "eth0")).toMatchObject({ network: "bridge", mac: macs.bridge!.MacAddress });
    expect(iface(t, "dfake", "eth1")).toMatchObject({ network: "mynet" });
    expect(iface(t, "dfake", "eth0")!.ipv4.some((a) => a.startsWith("10.99.0.5"))).toBe(false);
  } finally {
    await live.return?.();
    await docker("rm", "-f", "dfake").catch(() => undefined);
  }
});
