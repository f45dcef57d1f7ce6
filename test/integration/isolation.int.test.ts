// Many learners share one engine: a session can neither reach nor see another, nor the worker's
// machine, and what one learner does to exhaust their containers does not hurt the neighbour.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { engine, eth0, ifconfig, nslookup, sh, startLab, teardownAll } from "../support/lab";
import { sameSubnet } from "../support/netparse";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName } from "../../worker/provisioner/docker/names";
import { machineIpv4 } from "../tools/rawframe";

const docker = createDockerClient(process.env.DOCKER_HOST);

afterAll(teardownAll);

const lab = {
  networks: [{ name: "mynet", driver: "bridge" as const }],
  containers: [{ name: "busybox1" }, { name: "web", network: "mynet" }, { name: "client", network: "mynet" }],
};

let a: string;
let b: string;
beforeAll(async () => {
  [{ sessionId: a }, { sessionId: b }] = await Promise.all([startLab(lab), startLab(lab)]);
});

/** How many forks the container's pids limit refused (cgroup v1 or v2, cgroupfs or systemd driver). */
async function forksRefusedByPidsLimit(id: string): Promise<number> {
  const candidates = [
    `/sys/fs/cgroup/pids/docker/${id}/pids.events`,
    `/sys/fs/cgroup/pids/system.slice/docker-${id}.scope/pids.events`,
    `/sys/fs/cgroup/docker/${id}/pids.events`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/pids.events`,
  ];
  for (const file of candidates) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) return Number(/^max (\d+)$/m.exec(text)?.[1]);
  }
  throw new Error(`no pids.events for container ${id} in ${candidates.join(", ")}`);
}

/** Pings `ip` once and opens TCP port 22 on it, from `container` of `session`: what each half saw. */
async function probe(session: string, container: string, ip: string) {
  const { output } = await sh(
    session,
    container,
    `ping -c 1 -W 1 ${ip}; echo "ping exit $?"; nc -w 1 ${ip} 22 </dev/null; echo "tcp exit $?"`,
  );
  return {
    ping: /\d+ packets transmitted, \d+ packets received/.exec(output)?.[0] ?? output,
    pingExit: Number(/^ping exit (\d+)/m.exec(output)?.[1]),
    tcpExit: Number(/^tcp exit (\d+)/m.exec(output)?.[1]),
    output,
  };
}

/** A container's neighbour on its own network in its own session: the session host's address there. */
async function sessionHostBeside(session: string, container: string): Promise<string> {
  const own = await eth0(session, container);
  const host = [...(await ifconfig(session, "host")).values()].find((i) => i.ipv4 && sameSubnet(i.ipv4, own.ipv4, own.mask));
  if (!host?.ipv4) throw new Error(`the session host has no address on ${container}'s network`);
  return host.ipv4;
}

/** The neighbour still answers promptly. */
async function neighbourWorks() {
  const { output, exitCode } = await sh(b, "busybox1", "echo alive-$((6*7))", 5_000);
  expect(exitCode).toBe(0);
  expect(output).toContain("alive-42");
}

describe("isolation between sessions", () => {
  it("a container of session A cannot reach any container of session B by address", async () => {
    for (const [from, to] of [
      ["busybox1", "busybox1"],
      ["busybox1", "web"],
      ["web", "web"],
      ["host", "busybox1"],
      ["host", "web"],
    ] as const) {
      // The control: the same ping from the same container reaches a neighbour of its own session.
      const own = from === "host" ? (await eth0(a, to)).ipv4 : await sessionHostBeside(a, from);
      expect((await probe(a, from, own)).ping, `${from} of A → its own session`).toBe(
        "1 packets transmitted, 1 packets received",
      );
      const target = (await eth0(b, to)).ipv4;
      const ping = await sh(a, from, `ping -c 1 -W 1 ${target}`);
      // Sent, and not answered (a ping that could not even send would say otherwise).
      expect(ping.output, `${from} of A → ${to} of B`).toMatch(/1 packets transmitted, 0 packets received/);
      expect(ping.exitCode).not.toBe(0);
    }
  });

  it("names resolve only inside the session", async () => {
    const own = (await eth0(a, "web")).ipv4;
    const theirs = (await eth0(b, "web")).ipv4;
    const answer = await nslookup(a, "client", "web");
    expect(answer.addresses).toEqual([own]);
    expect(answer.addresses).not.toContain(theirs);
  });

  it("cannot reach the worker's machine through the lab bridge", async () => {
    const own = await eth0(a, "busybox1");
    // The default bridge's gateway .1 is the session host's docker0, not the machine.
    const gateway = own.ipv4.replace(/\.\d+\.\d+$/, ".0.1");
    // The control: the same probe reaches the session host, listening on port 22 for it.
    await sh(a, "host", "nc -l -p 22 </dev/null >/dev/null 2>&1 &");
    await eventually("the session host to listen on port 22", async () =>
      /:0016 0+:0000 0A /.test((await sh(a, "host", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null")).output),
    );
    expect(await probe(a, "busybox1", gateway)).toMatchObject({
      ping: "1 packets transmitted, 1 packets received",
      pingExit: 0,
      tcpExit: 0,
    });
    // Nothing answers at the machine's addresses, not even a refusal: the bridge has no address on
    // the machine and the session host routes nothing.
    for (const ip of machineIpv4()) {
      const machineProbe = await probe(a, "busybox1", ip);
      expect(machineProbe, machineProbe.output).toMatchObject({
        ping: "1 packets transmitted, 0 packets received",
        pingExit: 1,
        tcpExit: 1,
      });
    }
  });

  it("session A's views list only A's objects", async () => {
    const objectsA = await engine.listSessionObjects(a);
    expect([...objectsA.containers, ...objectsA.networks].every((name) => name.includes(a))).toBe(true);
    expect(objectsA.containers).toHaveLength(4);
    const viewA = await engine.networkView(a);
    const viewB = await engine.networkView(b);
    expect(viewA.map((n) => n.name)).toEqual(["bridge", "host", "mynet", "none"]);
    const idsB = new Set(viewB.map((n) => n.id));
    expect(viewA.filter((n) => idsB.has(n.id))).toEqual([]);
  });
});

describe("abuse is contained", () => {
  it("a fork bomb hits the pids limit and the neighbour keeps working", async () => {
    // Observed from the machine while it runs: inside, the bomb leaves no pid for `ps` (and its
    // errors would pass the 4 KiB probe output limit).
    const id = (await docker.getContainer(containerName(a, "busybox1")).inspect()).Id;
    let running = true;
    const bomb = sh(a, "busybox1", "(b() { b | b & }; b) 2>/dev/null; sleep 3; echo bombed", 20_000).finally(
      () => (running = false),
    );
    let peak = 0;
    while (running) peak = Math.max(peak, (await docker.getContainer(id).top()).Processes.length);
    await bomb;
    expect(await forksRefusedByPidsLimit(id)).toBeGreaterThan(0); // the bomb reached the limit
    expect(peak).toBeLessThanOrEqual(128); // and never passed it
    await neighbourWorks();
    await sh(a, "busybox1", "kill -9 -1 2>/dev/null; true", 20_000).catch(() => undefined);
  });

  it("a memory bomb is killed at the memory limit and the neighbour keeps working", async () => {
    const bomb = await sh(a, "web", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}", 30_000);
    expect(bomb.output).not.toMatch(/survived 200000000/);
    expect(bomb.exitCode).not.toBe(0);
    await neighbourWorks();
  });

  it("filling the tmpfs stops at its size, the root filesystem is read-only, and the neighbour keeps working", async () => {
    const fill = await sh(
      a,
      "host",
      "dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>&1; du -m /tmp/fill; touch /fill 2>&1",
      20_000,
    );
    expect(fill.output).toMatch(/No space left on device/);
    const megabytes = Number(/^(\d+)\s+\/tmp\/fill/m.exec(fill.output)?.[1]);
    expect(megabytes).toBeLessThanOrEqual(16);
    expect(fill.output).toMatch(/Read-only file system/);
    await neighbourWorks();
  });
});
