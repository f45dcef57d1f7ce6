// The Docker adapter against the real engine: idempotent provisioning, hardening, labels,
// teardown, and terminals that do not leak shells.
import { afterAll, describe, expect, it } from "vitest";
import { within } from "../support/eventually";
import { engine, eth0, sh, startLab, teardownAll } from "../support/lab";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { containerName, LABEL_SESSION, networkName } from "../../worker/provisioner/docker/names";

const docker = createDockerClient(process.env.DOCKER_HOST);
afterAll(teardownAll);

async function processes(sessionId: string): Promise<string[]> {
  const top = await docker.getContainer(containerName(sessionId, "busybox1")).top({ ps_args: "-o pid,args" });
  return top.Processes.map((p: string[]) => p.at(-1) ?? "");
}

async function shellCount(sessionId: string): Promise<number> {
  return (await processes(sessionId)).filter((args) => args === "sh").length;
}

describe("docker provisioner", () => {
  it("creates labelled networks (user ones internal) and hardened, running containers", async () => {
    const { sessionId } = await startLab({ networks: [{ name: "mynet", driver: "bridge" }] });
    const net = await docker.getNetwork(networkName(sessionId, "bridge")).inspect();
    // The default bridge routes to its gateway, the session host; the machine has no address on
    // it, masquerades nothing and forwards nothing from it (the lab firewall's DOCKER-USER rules).
    expect(net.Internal).toBe(false);
    expect(net.IPAM?.Config?.[0]?.Subnet).toMatch(/\/16$/);
    expect(net.Labels?.[LABEL_SESSION]).toBe(sessionId);
    expect(net.Options?.["com.docker.network.bridge.inhibit_ipv4"]).toBe("true");
    expect(net.Options?.["com.docker.network.bridge.enable_ip_masquerade"]).toBe("false");
    const mynet = await docker.getNetwork(networkName(sessionId, "mynet")).inspect();
    expect(mynet.Internal).toBe(true);
    expect(mynet.IPAM?.Config?.[0]?.Subnet).toMatch(/\/24$/);
    expect(mynet.Options?.["com.docker.network.bridge.inhibit_ipv4"]).toBe("true");

    for (const name of ["busybox1", "host"]) {
      const info = await docker.getContainer(containerName(sessionId, name)).inspect();
      expect(info.State.Running).toBe(true);
      expect(info.Config.Labels[LABEL_SESSION]).toBe(sessionId);
      expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
      expect(info.HostConfig.PidsLimit).toBe(128);
      expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
      expect(info.HostConfig.CapAdd ?? []).toEqual([]); // not even NET_RAW: ping uses ICMP datagram sockets
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
      expect(info.HostConfig.Privileged).toBe(false);
    }
    const { output, exitCode } = await sh(sessionId, "busybox1", "touch /etc/x");
    expect(exitCode).not.toBe(0);
    expect(output).toMatch(/Read-only file system/);
  });

  it("gives lab containers no raw or packet sockets, and ping still works between them and the session host", async () => {
    const { sessionId } = await startLab({ containers: [{ name: "busybox1" }, { name: "busybox2" }] });
    const peer = (await eth0(sessionId, "busybox2")).ipv4;
    const host = (await eth0(sessionId, "host")).ipv4;
    const ping = await sh(sessionId, "busybox1", `ping -c 3 ${peer}`);
    expect(ping.output).toMatch(/3 packets transmitted, 3 packets received/);
    expect(ping.output).toMatch(new RegExp(`^64 bytes from ${peer.replaceAll(".", "\\.")}: seq=0 ttl=64 time=`, "m"));
    expect((await sh(sessionId, "host", `ping -c 1 ${peer}`)).output).toMatch(/1 packets received/);
    expect((await sh(sessionId, "busybox2", `ping -c 1 -W 2 ${host}`)).output).toMatch(/1 packets received/);
    // traceroute opens a raw ICMP socket, arping a packet socket: both are refused.
    const raw = await sh(sessionId, "busybox1", `traceroute -n -m 1 -w 1 ${peer} 2>&1; arping -c 1 -w 1 -I eth0 ${peer} 2>&1`);
    expect(raw.output).toMatch(/traceroute: socket: Operation not permitted/);
    expect(raw.output).toMatch(/arping: socket: Operation not permitted/);
  });

  it("adopts what exists when provisioning is repeated, and restarts a stopped container", async () => {
    const { sessionId, spec } = await startLab();
    const first = await docker.getContainer(containerName(sessionId, "busybox1")).inspect();
    await docker.getContainer(first.Id).stop({ t: 0 });

    await Promise.all([engine.provision(spec), engine.provision(spec)]);
    expect(await engine.listSessionObjects(sessionId)).toEqual({
      containers: [containerName(sessionId, "busybox1"), containerName(sessionId, "host")],
      networks: [networkName(sessionId, "bridge")],
    });
    const again = await docker.getContainer(containerName(sessionId, "busybox1")).inspect();
    expect(again.Id).toBe(first.Id);
    expect(again.State.Running).toBe(true);
  });

  it("refuses to adopt an object of the same name that is not the session's", async () => {
    const sessionId = crypto.randomUUID();
    const intruder = await docker.createNetwork({ Name: networkName(sessionId, "bridge"), Internal: true });
    try {
      await expect(
        engine.provision({
          sessionId,
          networks: [],
          containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
          labDns: false,
        }),
      ).rejects.toThrow(/does not belong to session/);
      expect((await engine.listSessionObjects(sessionId)).containers).toEqual([]);
    } finally {
      await intruder.remove();
    }
  });

  it("tears down everything labelled with the session, and tearing down twice is harmless", async () => {
    const { sessionId } = await startLab({
      networks: [{ name: "mynet", driver: "bridge" }],
      containers: [{ name: "b1", network: "mynet" }],
    });
    await engine.teardown(sessionId);
    expect(await engine.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
    await engine.teardown(sessionId);
  });

  it("gives each terminal its own shell and ends it, and what it started, when the terminal closes", async () => {
    const { sessionId } = await startLab();
    const baseline = await shellCount(sessionId);
    const terminal = await engine.openTerminal(sessionId, "busybox1", { cols: 100, rows: 30 });
    let output = "";
    const waitFor = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => output.includes(text) && resolve();
        terminal.stream.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          check();
        });
        check();
      });
    terminal.stream.write("stty size; sleep 1000 & echo started-$((1+1))\n");
    await within(waitFor("started-2"), 10_000, "the terminal to echo started-2");
    expect(output).toContain("30 100"); // the TTY has the size asked for
    expect(await shellCount(sessionId)).toBe(baseline + 1);
    expect(await processes(sessionId)).toContain("sleep 1000");

    await terminal.close();
    expect(await shellCount(sessionId)).toBe(baseline);
    expect(await processes(sessionId)).not.toContain("sleep 1000");
  });

  it("reports a terminal for a container the session does not have", async () => {
    const { sessionId } = await startLab();
    await expect(engine.openTerminal(sessionId, "busybox9", { cols: 80, rows: 24 })).rejects.toThrow(
      "container busybox9 is not running in this session",
    );
  });
});
