// What every caller of the provisioner port relies on, as one suite run against each
// implementation: the fake (test/contract/fake.contract.test.ts, unit) and the Docker adapter
// (test/integration/provisioner.contract.int.test.ts, real engine). A behaviour the fake gets
// wrong fails here, not in a task test that trusted it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabObjectMissingError, SpecError, type Provisioner, type SessionSpec } from "~/core/provisioner/port";
import { eventually, within } from "../support/eventually";

export type ContractOptions = {
  /** How long a terminal may take to echo a command (an engine's exec is slower than memory). */
  echoTimeoutMs: number;
};

/** One small lab, shared by the file: a network of its own and one container on it. */
function contractSpec(sessionId: string): SessionSpec {
  return {
    sessionId,
    networks: [{ name: "mynet", driver: "bridge" }],
    containers: [{ name: "busybox1", image: "busybox:latest", network: "mynet" }],
    labDns: false,
  };
}

/** Resolves with everything read once `pattern` matches what the stream printed. */
function readUntil(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      if (!pattern.test(seen)) return;
      stream.off("data", onData);
      resolve(seen);
    };
    stream.on("data", onData);
  });
}

export function provisionerContract(name: string, create: () => Provisioner, options: ContractOptions) {
  describe(`provisioner contract: ${name}`, () => {
    const provisioner = create();
    const spec = contractSpec(randomUUID());
    const { sessionId } = spec;

    beforeAll(() => provisioner.provision(spec));
    afterAll(() => provisioner.teardown(sessionId));

    it("answers a ping and names its network drivers, sorted", async () => {
      await provisioner.ping();
      const drivers = await provisioner.networkDrivers();
      expect(drivers).toContain("bridge");
      expect(drivers).toEqual([...drivers].sort());
    });

    it("lists the session's objects after provisioning: its containers with the session host, its networks with the default one", async () => {
      const objects = await provisioner.listSessionObjects(sessionId);
      expect(objects.containers).toHaveLength(2); // host + busybox1
      expect(objects.networks).toHaveLength(2); // bridge + mynet
      for (const name of [...objects.containers, ...objects.networks]) expect(name).toContain(sessionId);
      expect(objects.containers).toEqual([...objects.containers].sort());
      expect(await provisioner.listSessionsWithObjects()).toContain(sessionId);
    });

    it("adopts what exists when provisioning is repeated", async () => {
      const before = await provisioner.listSessionObjects(sessionId);
      const view = await provisioner.networkView(sessionId);
      await provisioner.provision(spec);
      expect(await provisioner.listSessionObjects(sessionId)).toEqual(before);
      expect(await provisioner.networkView(sessionId)).toEqual(view); // same ids: nothing was recreated
    });

    it("resumes a provisioned session (repeatably), and refuses to resume one it has nothing of", async () => {
      const before = await provisioner.listSessionObjects(sessionId);
      await provisioner.resume(sessionId);
      await provisioner.resume(sessionId);
      expect(await provisioner.listSessionObjects(sessionId)).toEqual(before);
      await expect(provisioner.resume(randomUUID())).rejects.toBeInstanceOf(LabObjectMissingError);
    });

    it("inspects containers in the learner's words, and a missing one as undefined", async () => {
      expect(await provisioner.inspectContainer(sessionId, "busybox1")).toEqual({ running: true, networkMode: "mynet" });
      expect(await provisioner.inspectContainer(sessionId, "host")).toEqual({ running: true, networkMode: "bridge" });
      expect(await provisioner.inspectContainer(sessionId, "busybox9")).toBeUndefined();
    });

    it("views the session's networks as `docker network ls` would: its own plus host and none", async () => {
      const view = await provisioner.networkView(sessionId);
      expect(view.map(({ name, driver, scope }) => ({ name, driver, scope }))).toEqual([
        { name: "bridge", driver: "bridge", scope: "local" },
        { name: "host", driver: "host", scope: "local" },
        { name: "mynet", driver: "bridge", scope: "local" },
        { name: "none", driver: "null", scope: "local" },
      ]);
      for (const { id } of view) expect(id).toMatch(/^[0-9a-f]{12}$/);
      expect(new Set(view.map((n) => n.id)).size).toBe(view.length);
      expect(await provisioner.networkView(randomUUID())).toEqual([]);
    });

    it("runs a command in a container and returns its output and exit code", async () => {
      expect(await provisioner.run(sessionId, "busybox1", ["echo", "contract-run"])).toEqual({
        exitCode: 0,
        output: "contract-run\n",
      });
    });

    it("runs several probes in a container in one call: each its own output, in order; none in a container it does not have", async () => {
      const bounds = { timeoutMs: 5_000, outputLimit: 4096 };
      expect(await provisioner.runProbes(sessionId, "busybox1", ["echo one", "echo two", "echo one"], bounds)).toEqual([
        { output: "one\n" },
        { output: "two\n" },
        { output: "one\n" },
      ]);
      expect(await provisioner.runProbes(sessionId, "busybox1", [], bounds)).toEqual([]);
      await expect(provisioner.runProbes(sessionId, "busybox9", ["echo one"], bounds)).rejects.toThrow(LabObjectMissingError);
    });

    it("refuses to run in, or open a terminal on, a container the session does not have", async () => {
      await expect(provisioner.run(sessionId, "busybox9", ["true"])).rejects.toThrow(LabObjectMissingError);
      await expect(provisioner.run(sessionId, "busybox9", ["true"])).rejects.toThrow(
        "container busybox9 is not running in this session",
      );
      await expect(provisioner.openTerminal(sessionId, "busybox9", { cols: 80, rows: 24 })).rejects.toThrow(
        LabObjectMissingError,
      );
    });

    it("refuses an invalid spec with a SpecError and creates nothing", async () => {
      const bad = {
        ...contractSpec(randomUUID()),
        containers: [{ name: "b1", image: "busybox:latest" as const, network: "nowhere" }],
      };
      await expect(provisioner.provision(bad)).rejects.toThrow(SpecError);
      await expect(provisioner.provision(bad)).rejects.toThrow(/network "nowhere" does not exist/);
      expect(await provisioner.listSessionObjects(bad.sessionId)).toEqual({ containers: [], networks: [] });
      expect(await provisioner.listSessionsWithObjects()).not.toContain(bad.sessionId);
    });

    it("opens a terminal whose shell echoes what `echo` prints, resizes, and closes twice harmlessly", async () => {
      const terminal = await provisioner.openTerminal(sessionId, "busybox1", { cols: 80, rows: 24 });
      try {
        const printed = readUntil(terminal.stream, /(^|\n)contract-terminal\r\n/);
        terminal.stream.write("echo contract-terminal\r");
        const seen = await within(printed, options.echoTimeoutMs, "the terminal to print contract-terminal");
        expect(seen).toContain("echo contract-terminal"); // the TTY echoed the keystrokes
        await terminal.resize({ cols: 100, rows: 30 });
      } finally {
        await terminal.close();
        await terminal.close();
      }
    });

    it("views a session's containers in creation order, in the learner's words, without the session host", async () => {
      const other: SessionSpec = {
        sessionId: randomUUID(),
        networks: [{ name: "mynet", driver: "bridge" }],
        containers: [
          { name: "b1", image: "busybox:latest", network: "bridge" },
          { name: "b2", image: "busybox:latest", network: "container:b1" },
          { name: "b3", image: "busybox:latest", network: "none" },
          { name: "b4", image: "busybox:latest", network: "mynet" },
          { name: "b5", image: "busybox:latest", network: "host" },
        ],
        labDns: true,
      };
      const heard: string[] = [];
      const watch = provisioner.watch({ changed: (id) => heard.push(id), resynced: () => {} });
      try {
        await provisioner.provision(other);
        expect(await provisioner.containerView(other.sessionId)).toEqual([
          { name: "b1", networkMode: "bridge", running: true },
          { name: "b2", networkMode: "container:b1", running: true },
          { name: "b3", networkMode: "none", running: true },
          { name: "b4", networkMode: "mynet", running: true },
          { name: "b5", networkMode: "host", running: true },
        ]);
        // The watch hears the session's changes (the engine's events arrive a moment later).
        await eventually("the watch to hear the new session", () => heard.includes(other.sessionId), {
          timeoutMs: options.echoTimeoutMs,
          intervalMs: 20,
        });
        await provisioner.teardown(other.sessionId);
        expect(await provisioner.containerView(other.sessionId)).toEqual([]);
      } finally {
        await watch.stop();
        await provisioner.teardown(other.sessionId);
      }
    });

    // Last: the shared session is gone afterwards.
    it("tears down everything, and tearing down twice is harmless", async () => {
      await provisioner.teardown(sessionId);
      expect(await provisioner.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
      expect(await provisioner.listSessionsWithObjects()).not.toContain(sessionId);
      expect(await provisioner.inspectContainer(sessionId, "busybox1")).toBeUndefined();
      expect(await provisioner.networkView(sessionId)).toEqual([]);
      expect(await provisioner.containerView(sessionId)).toEqual([]);
      await expect(provisioner.run(sessionId, "busybox1", ["true"])).rejects.toThrow(LabObjectMissingError);
      await provisioner.teardown(sessionId);
    });
  });
}
