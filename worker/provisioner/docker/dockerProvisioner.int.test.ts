// The Docker adapter against the real engine: idempotent provisioning, hardening, labels,
// teardown, and terminals that do not leak shells.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createDockerClient } from "./client";
import { createDockerProvisioner } from "./dockerProvisioner";
import { containerName, LABEL_SESSION, networkName } from "./names";

const docker = createDockerClient(process.env.DOCKER_HOST);
const provisioner = createDockerProvisioner(docker, { image: "busybox:latest", memoryMb: 64, pidsLimit: 128 });
const lab = [{ name: "busybox1", image: "busybox:latest" as const, network: "bridge" as const }];
const sessions: string[] = [];

function newSession() {
  const id = randomUUID();
  sessions.push(id);
  return id;
}

afterAll(async () => {
  for (const id of sessions) await provisioner.teardown(id);
});

async function processes(sessionId: string): Promise<string[]> {
  const top = await docker.getContainer(containerName(sessionId, "busybox1")).top({ ps_args: "-o pid,args" });
  return top.Processes.map((p: string[]) => p.at(-1) ?? "");
}

async function shellCount(sessionId: string): Promise<number> {
  return (await processes(sessionId)).filter((args) => args === "sh").length;
}

describe("docker provisioner", () => {
  it("creates a labelled internal network and a hardened, running container", async () => {
    const sessionId = newSession();
    await provisioner.provision({ sessionId, containers: lab });

    const net = await docker.getNetwork(networkName(sessionId, "bridge")).inspect();
    expect(net.Internal).toBe(true);
    expect(net.Labels?.[LABEL_SESSION]).toBe(sessionId);

    const info = await docker.getContainer(containerName(sessionId, "busybox1")).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Labels[LABEL_SESSION]).toBe(sessionId);
    expect(info.HostConfig.NetworkMode).toBe(networkName(sessionId, "bridge"));
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(128);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(info.HostConfig.CapAdd).toEqual(["NET_RAW"]);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
    expect(info.HostConfig.Privileged).toBe(false);
  });

  it("adopts what exists when provisioning is repeated, and restarts a stopped container", async () => {
    const sessionId = newSession();
    await provisioner.provision({ sessionId, containers: lab });
    const first = await docker.getContainer(containerName(sessionId, "busybox1")).inspect();
    await docker.getContainer(first.Id).stop({ t: 0 });

    await Promise.all([provisioner.provision({ sessionId, containers: lab }), provisioner.provision({ sessionId, containers: lab })]);
    const objects = await provisioner.listSessionObjects(sessionId);
    expect(objects).toEqual({ containers: [containerName(sessionId, "busybox1")], networks: [networkName(sessionId, "bridge")] });
    const again = await docker.getContainer(containerName(sessionId, "busybox1")).inspect();
    expect(again.Id).toBe(first.Id);
    expect(again.State.Running).toBe(true);
  });

  it("refuses to adopt an object of the same name that is not the session's", async () => {
    const sessionId = newSession();
    const intruder = await docker.createNetwork({ Name: networkName(sessionId, "bridge"), Internal: true });
    try {
      await expect(provisioner.provision({ sessionId, containers: lab })).rejects.toThrow(/does not belong to session/);
      expect((await provisioner.listSessionObjects(sessionId)).containers).toEqual([]);
    } finally {
      await intruder.remove();
    }
  });

  it("tears down everything labelled with the session, and tearing down twice is harmless", async () => {
    const sessionId = newSession();
    await provisioner.provision({ sessionId, containers: lab });
    await provisioner.teardown(sessionId);
    expect(await provisioner.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
    await provisioner.teardown(sessionId);
  });

  it("gives each terminal its own shell and ends it when the terminal closes", async () => {
    const sessionId = newSession();
    await provisioner.provision({ sessionId, containers: lab });
    const baseline = await shellCount(sessionId);
    const terminal = await provisioner.openTerminal(sessionId, "busybox1", { cols: 100, rows: 30 });
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
    await waitFor("started-2");
    expect(output).toContain("30 100"); // the TTY has the size asked for
    expect(await shellCount(sessionId)).toBe(baseline + 1);
    expect(await processes(sessionId)).toContain("sleep 1000");

    await terminal.close();
    expect(await shellCount(sessionId)).toBe(baseline);
    expect(await processes(sessionId)).not.toContain("sleep 1000");
  });

  it("reports a terminal for a container the session does not have", async () => {
    const sessionId = newSession();
    await expect(provisioner.openTerminal(sessionId, "busybox1", { cols: 80, rows: 24 })).rejects.toThrow(
      "container busybox1 is not running in this session",
    );
  });
});
