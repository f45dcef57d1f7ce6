// Each observation of the seed tutorial (../shared/seed/README.md), reproduced in a session and
// read back from live command output inside its containers.
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameSubnet } from "../support/netparse";
import { engine, eth0, ifconfig, nslookup, sh, startLab, teardownAll } from "../support/lab";

afterAll(teardownAll);

/**
 * The MAC of every interface of the engine's machine, as the kernel lists them: veths and bridges
 * without an address too, which os.networkInterfaces() leaves out.
 */
async function machineMacAddresses(): Promise<string[]> {
  const names = await readdir("/sys/class/net");
  return Promise.all(names.map(async (name) => (await readFile(`/sys/class/net/${name}/address`, "utf8")).trim()));
}

describe("one session with every mode", () => {
  let sid: string;
  beforeAll(async () => {
    ({ sessionId: sid } = await startLab({
      networks: [{ name: "mynet", driver: "bridge" }],
      containers: [
        { name: "busybox1" },
        { name: "busybox2" },
        { name: "closed", network: "none" },
        { name: "hosted", network: "host" },
        { name: "joined", network: "container:busybox1" },
        { name: "web", network: "mynet" },
        { name: "client", network: "mynet" },
      ],
      labDns: true,
    }));
  });

  it("S2/S5: a bridge container has eth0 in the session's /16 (the host's docker0 is its gateway), plus lo", async () => {
    const interfaces = await ifconfig(sid, "busybox1");
    expect([...interfaces.keys()].sort()).toEqual(["eth0", "lo"]);
    const docker0 = (await ifconfig(sid, "host")).get("docker0")!;
    const b1 = interfaces.get("eth0")!;
    expect(b1.mask).toBe("255.255.0.0");
    expect(docker0.mask).toBe("255.255.0.0");
    expect(b1.ipv4).not.toBe(docker0.ipv4);
    expect(sameSubnet(b1.ipv4!, docker0.ipv4!, b1.mask!)).toBe(true);
    expect(interfaces.get("lo")?.ipv4).toBe("127.0.0.1");
  });

  it("S6: a none container has only lo", async () => {
    expect([...(await ifconfig(sid, "closed")).keys()]).toEqual(["lo"]);
  });

  it("S7: a host-mode container shows exactly the session host's interfaces, none of the worker machine's", async () => {
    const hosted = await ifconfig(sid, "hosted");
    const host = await ifconfig(sid, "host");
    expect([...hosted.entries()]).toEqual([...host.entries()]);
    // The session host sits on both session networks, like a real host: docker0, eth0 (and its
    // veth peer), lo, and its leg on mynet (eth1, the engine's name).
    expect([...hosted.keys()].filter((n) => !/^veth[0-9a-f]{7}$/.test(n)).sort()).toEqual(["docker0", "eth0", "eth1", "lo"]);
    expect(hosted.size).toBe(5);
    const machineAddresses = Object.values(os.networkInterfaces())
      .flat()
      .map((i) => i?.address);
    const machineMacs = await machineMacAddresses();
    // The list holds the machine's interfaces that have addresses too, so a real match would show.
    const addressedMacs = Object.values(os.networkInterfaces())
      .flat()
      .flatMap((i) => (i && !i.internal ? [i.mac] : []));
    expect(addressedMacs.length).toBeGreaterThan(0);
    expect(machineMacs).toEqual(expect.arrayContaining(addressedMacs));
    for (const iface of hosted.values()) {
      if (iface.name === "lo") continue;
      expect(machineAddresses).not.toContain(iface.ipv4);
      expect(iface.mac, iface.name).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(machineMacs, iface.name).not.toContain(iface.mac);
    }
  });

  it("S8: two bridge containers have different addresses in one subnet and ping each other", async () => {
    const [a, b] = [await eth0(sid, "busybox1"), await eth0(sid, "busybox2")];
    expect(a.ipv4).not.toBe(b.ipv4);
    expect(sameSubnet(a.ipv4, b.ipv4, a.mask)).toBe(true);
    const ping = await sh(sid, "busybox1", `ping -c 1 -W 2 ${b.ipv4}`);
    expect(ping.output).toMatch(/1 packets received/);
    // and the session host reaches them, as a real host reaches docker0 containers
    expect((await sh(sid, "host", `ping -c 1 -W 2 ${a.ipv4}`)).output).toMatch(/1 packets received/);
  });

  it("S9: container:busybox1 shares busybox1's IP and MAC and reaches its 127.0.0.1 server", async () => {
    const [target, joined] = [await eth0(sid, "busybox1"), await eth0(sid, "joined")];
    expect(joined.ipv4).toBe(target.ipv4);
    expect(joined.mac).toBe(target.mac);
    await sh(
      sid,
      "busybox1",
      "mkdir -p /tmp/www && echo hello-from-busybox1 > /tmp/www/index.html && httpd -p 127.0.0.1:8080 -h /tmp/www",
    );
    const got = await sh(sid, "joined", `printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080`);
    expect(got.output).toContain("hello-from-busybox1");
  });

  it("S11: a user bridge resolves names between its containers and cannot reach the default bridge", async () => {
    const web = await eth0(sid, "web");
    const lookup = await nslookup(sid, "client", "web");
    expect(lookup.addresses).toEqual([web.ipv4]);
    expect((await sh(sid, "client", "ping -c 1 -W 2 web")).output).toMatch(/1 packets received/);
    const bridged = await eth0(sid, "busybox1");
    const blocked = await sh(sid, "client", `ping -c 1 -W 1 ${bridged.ipv4}`);
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.output).not.toMatch(/1 packets received/);
    // the default bridge, like docker0, does not resolve container names
    expect((await nslookup(sid, "busybox1", "busybox2")).addresses).toEqual([]);
  });

  it("S3: a bridge container's resolver is the session host, which answers the lab zone", async () => {
    const host = await eth0(sid, "host");
    const docker0 = (await ifconfig(sid, "host")).get("docker0")!;
    expect((await sh(sid, "busybox1", "cat /etc/resolv.conf")).output.trim()).toBe(`nameserver ${docker0.ipv4}`);
    const answer = await nslookup(sid, "busybox1", "www.lab.example");
    expect(answer.server).toBe(docker0.ipv4);
    expect(answer.addresses).toEqual([host.ipv4]);
    expect((await nslookup(sid, "busybox1", "www.baidu.com")).addresses).toEqual([host.ipv4]);
    expect((await nslookup(sid, "busybox1", "unknown.example")).nxdomain).toBe(true);
  });

  it("S1/S10: the session's network view and the engine's drivers read like the seed's", async () => {
    const view = await engine.networkView(sid);
    expect(view.map(({ name, driver, scope }) => [name, driver, scope])).toEqual([
      ["bridge", "bridge", "local"],
      ["host", "host", "local"],
      ["mynet", "bridge", "local"],
      ["none", "null", "local"],
    ]);
    for (const entry of view) expect(entry.id).toMatch(/^[0-9a-f]{12}$/);
    const drivers = await engine.networkDrivers();
    for (const driver of ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"]) expect(drivers).toContain(driver);
  });
});

describe("S4: --dns", () => {
  it("changes the Server: line to the given resolver, and the lab DNS service answers", async () => {
    const { sessionId } = await startLab({ containers: [{ name: "plain" }], labDns: true });
    const dnsIp = (await eth0(sessionId, "dns")).ipv4;
    const { sessionId: sid2 } = { sessionId };
    await engine.provision({
      sessionId: sid2,
      networks: [],
      containers: [
        { name: "plain", image: "busybox:latest", network: "bridge" },
        { name: "custom", image: "busybox:latest", network: "bridge", dns: [dnsIp] },
      ],
      labDns: true,
    });
    const before = await nslookup(sessionId, "plain", "www.lab.example");
    const after = await nslookup(sessionId, "custom", "www.lab.example");
    expect(before.server).not.toBe(dnsIp);
    expect(after.server).toBe(dnsIp);
    expect(after.addresses).toEqual(before.addresses);
    expect(after.addresses).toHaveLength(1);
    expect((await nslookup(sessionId, "custom", "dns.lab.example")).addresses).toEqual([dnsIp]);
  });
});

describe("S12: overlay", () => {
  it("gives a container on an overlay network an address in the overlay subnet (swarm mode)", async () => {
    const { sessionId } = await startLab({
      networks: [{ name: "ov", driver: "overlay" }],
      containers: [
        { name: "o1", network: "ov" },
        { name: "o2", network: "ov" },
      ],
    });
    const view = await engine.networkView(sessionId);
    expect(view.find((n) => n.name === "ov")).toMatchObject({ driver: "overlay", scope: "swarm" });
    const [o1, o2] = [await eth0(sessionId, "o1"), await eth0(sessionId, "o2")];
    expect(sameSubnet(o1.ipv4, o2.ipv4, o1.mask)).toBe(true);
    expect((await sh(sessionId, "o1", "ping -c 1 -W 2 o2")).output).toMatch(/1 packets received/);
  });
});
