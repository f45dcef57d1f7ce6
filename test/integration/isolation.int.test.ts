// Many learners share one engine: a session can neither reach nor see another, nor the worker's
// machine, and what one learner does to exhaust their containers does not hurt the neighbour.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eth0, nslookup, provisioner, sh, startLab, teardownAll } from "../support/lab";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName } from "../../worker/provisioner/docker/names";

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
      const target = (await eth0(b, to)).ipv4;
      const ping = await sh(a, from, `ping -c 1 -W 1 ${target}`);
      expect(ping.output, `${from} of A → ${to} of B`).not.toMatch(/1 packets received/);
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
    const host = await eth0(a, "busybox1");
    const gateway = host.ipv4.replace(/\.\d+$/, ".1");
    // nothing answers at the gateway address: the bridge has no address on the machine
    const probe = await sh(a, "busybox1", `ping -c 1 -W 1 ${gateway}; nc -w 1 ${gateway} 22 </dev/null; echo done`);
    expect(probe.output).not.toMatch(/1 packets received/);
  });

  it("session A's views list only A's objects", async () => {
    const objectsA = await provisioner.listSessionObjects(a);
    expect([...objectsA.containers, ...objectsA.networks].every((name) => name.includes(a))).toBe(true);
    expect(objectsA.containers).toHaveLength(4);
    const viewA = await provisioner.networkView(a);
    const viewB = await provisioner.networkView(b);
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
    const bomb = sh(a, "busybox1", "(b() { b | b & }; b) 2>/dev/null; sleep 3; echo bombed", 20_000).finally(() => (running = false));
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
    const fill = await sh(a, "host", "dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>&1; du -m /tmp/fill; touch /fill 2>&1", 20_000);
    expect(fill.output).toMatch(/No space left on device/);
    const megabytes = Number(/^(\d+)\s+\/tmp\/fill/m.exec(fill.output)?.[1]);
    expect(megabytes).toBeLessThanOrEqual(16);
    expect(fill.output).toMatch(/Read-only file system/);
    await neighbourWorks();
  });
});
