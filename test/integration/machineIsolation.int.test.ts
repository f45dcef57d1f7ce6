// The worker's machine is unreachable from lab networks at every layer, and one session cannot
// inject into another's overlay (VXLAN). Frames are sent with a packet socket from inside a lab
// container's network namespace (what a learner with raw sockets could do), so these tests
// exercise the machine's own defences, whatever the container is allowed.
import { execFileSync } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sh, startLab, teardownAll } from "../support/lab";
import { bridgeOf, containerPid, endpoint, linkLocalOf, listenIn, machineIpv4, rawframeIn } from "../tools/rawframe";
import { createLabFirewall, LabFirewallError } from "../../worker/provisioner/firewall/labFirewall";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { networkName } from "../../worker/provisioner/docker/names";

const docker = createDockerClient(process.env.DOCKER_HOST);
afterAll(teardownAll);

let a: string; // session A: busybox1 and busybox2 on its bridge, oa on its own overlay
let b: string; // session B: o1 and o2 on its overlay
let attacker: number; // pid of A's busybox1
let bridge: string;
let bridgeMac: string;
let sibling: { ip: string; mac: string };
let self: { ip: string; mac: string };

beforeAll(async () => {
  [{ sessionId: a }, { sessionId: b }] = await Promise.all([
    startLab({
      networks: [{ name: "ova", driver: "overlay" }],
      containers: [{ name: "busybox1" }, { name: "busybox2" }, { name: "oa", network: "ova" }],
    }),
    startLab({
      networks: [{ name: "ov", driver: "overlay" }],
      containers: [
        { name: "o1", network: "ov" },
        { name: "o2", network: "ov" },
      ],
    }),
  ]);
  attacker = await containerPid(a, "busybox1");
  bridge = await bridgeOf(a, "bridge");
  bridgeMac = readFileSync(`/sys/class/net/${bridge}/address`, "utf8").trim();
  self = await endpoint(a, "busybox1", "bridge");
  sibling = await endpoint(a, "busybox2", "bridge");
});

let port = 30_000 + Math.floor(Math.random() * 20_000);
const nextPort = () => ++port;

describe("the sender works inside the session (controls)", () => {
  it("ping between the session's containers works", async () => {
    const ping = await sh(a, "busybox1", `ping -c 1 -W 2 ${sibling.ip}`);
    expect(ping.output).toMatch(/1 packets received/);
  });

  it("a raw UDP frame, an ARP request and a TCP SYN reach the sibling container", async () => {
    const listener = await listenIn(await containerPid(a, "busybox2"), nextPort(), "INJECT", "BARRIER");
    await rawframeIn(attacker, "udp", "eth0", sibling.mac, self.ip, sibling.ip, port, "INJECT-1");
    await rawframeIn(attacker, "udp", "eth0", sibling.mac, self.ip, sibling.ip, port, "BARRIER");
    expect(await listener.result).toBe("count=1 barrier=yes");
    expect(await rawframeIn(attacker, "arp", "eth0", self.ip, sibling.ip)).toBe("arp-reply");
    expect(await rawframeIn(attacker, "syn", "eth0", sibling.mac, self.ip, sibling.ip, 1)).toBe("tcp-answer");
  });
});

describe("nothing on the machine answers on a lab bridge", () => {
  it("no ARP replies for the machine's addresses", async () => {
    for (const ip of machineIpv4()) {
      expect(await rawframeIn(attacker, "arp", "eth0", self.ip, ip), `ARP who-has ${ip}`).toBe("arp-none");
    }
  });

  it("the bridge has no IPv6 address, and its link-local address answers nothing (swarm ports)", async () => {
    const target = linkLocalOf(bridgeMac);
    for (const p of [2377, 7946]) {
      expect(await rawframeIn(attacker, "syn", "eth0", bridgeMac, linkLocalOf(self.mac), target, p), `SYN [${target}]:${p}`).toBe(
        "tcp-none",
      );
    }
    expect(execFileSync("ip", ["-6", "-o", "addr", "show", "dev", bridge]).toString().trim()).toBe("");
  });

  it("UDP to the machine's addresses is not delivered", async () => {
    const listener: Socket = createSocket("udp4");
    const received: string[] = [];
    listener.on("message", (msg) => received.push(msg.toString()));
    const hostPort = nextPort();
    await new Promise<void>((resolve) => listener.bind(hostPort, "0.0.0.0", resolve));
    try {
      for (const ip of machineIpv4()) {
        await rawframeIn(attacker, "udp", "eth0", bridgeMac, self.ip, ip, hostPort, `INJECT to ${ip}`);
      }
      // A frame sent after them that does arrive (at the sibling) bounds the wait.
      const barrier = await listenIn(await containerPid(a, "busybox2"), nextPort(), "INJECT", "BARRIER");
      await rawframeIn(attacker, "udp", "eth0", sibling.mac, self.ip, sibling.ip, port, "BARRIER");
      expect(await barrier.result).toBe("count=0 barrier=yes");
      expect(received).toEqual([]);
    } finally {
      listener.close();
    }
  });
});

describe("overlay (VXLAN) between sessions", () => {
  it("VXLAN frames with session B's VNI sent from session A (bridge and overlay containers) reach nothing in B", async () => {
    const ov = await docker.getNetwork(networkName(b, "ov")).inspect();
    const vni = Number(ov.Options?.["com.docker.network.driver.overlay.vxlanid_list"]?.split(",")[0]);
    expect(vni).toBeGreaterThanOrEqual(4096);
    const [o1, o2] = [await endpoint(b, "o1", "ov"), await endpoint(b, "o2", "ov")];
    const listener = await listenIn(await containerPid(b, "o1"), nextPort(), "INJECT", "BARRIER");
    const oa = await endpoint(a, "oa", "ova");
    for (const ip of machineIpv4()) {
      await rawframeIn(
        attacker,
        "udp",
        "eth0",
        bridgeMac,
        self.ip,
        ip,
        4789,
        `INJECT via ${ip}`,
        vni,
        o1.mac,
        o2.ip,
        o1.ip,
        port,
      );
      // From an overlay container: its only neighbour is its own overlay's bridge (broadcast).
      await rawframeIn(
        await containerPid(a, "oa"),
        "udp",
        "eth0",
        "ff:ff:ff:ff:ff:ff",
        oa.ip,
        ip,
        4789,
        `INJECT from overlay via ${ip}`,
        vni,
        o1.mac,
        o2.ip,
        o1.ip,
        port,
      );
    }
    // B's own traffic on its overlay still arrives, and bounds the wait.
    await rawframeIn(await containerPid(b, "o2"), "udp", "eth0", o1.mac, o2.ip, o1.ip, port, "BARRIER");
    expect(await listener.result).toBe("count=0 barrier=yes");
  });
});

describe("the lab firewall is kept by the worker", () => {
  const inputRules = (tool: string) =>
    execFileSync(tool, ["-w", "5", "-S", "INPUT"])
      .toString()
      .split("\n")
      .filter((l) => l.startsWith("-A"));

  it("puts its rule back on top of INPUT (iptables and ip6tables) and installs it once", async () => {
    const firewall = createLabFirewall({ dockerHost: undefined });
    const other = ["INPUT", "-i", "nlab-probe0", "-j", "ACCEPT"]; // an interface that does not exist
    for (const tool of ["iptables", "ip6tables"])
      execFileSync(tool, ["-w", "5", "-I", ...other.slice(0, 1), "1", ...other.slice(1)]);
    try {
      await Promise.all([firewall.ensure(), firewall.ensure()]);
      for (const tool of ["iptables", "ip6tables"]) {
        const rules = inputRules(tool);
        expect(rules[0], tool).toBe("-A INPUT -i nlab-+ -j DROP");
        expect(
          rules.filter((r) => r === "-A INPUT -i nlab-+ -j DROP"),
          tool,
        ).toHaveLength(1);
      }
    } finally {
      for (const tool of ["iptables", "ip6tables"]) execFileSync(tool, ["-w", "5", "-D", ...other]);
    }
  });

  it("says what is missing when it cannot apply the rules", async () => {
    const remote = createLabFirewall({ dockerHost: "tcp://10.0.0.9:2375" });
    await expect(remote.ensure()).rejects.toThrow(LabFirewallError);
    await expect(remote.ensure()).rejects.toThrow(
      /LAB_FIREWALL=on .*remote \(DOCKER_HOST=tcp:\/\/10.0.0.9:2375\).*LAB_FIREWALL=off/,
    );
    const elsewhere = createLabFirewall({ dockerHost: undefined });
    await expect(elsewhere.ensure(["nlab-notthere0"])).rejects.toThrow(/nlab-notthere0 is not visible to the worker/);
  });
});
