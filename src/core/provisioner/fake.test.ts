// The fake's scripting hooks (its port behaviour is the contract suite's: test/contract).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFakeProvisioner } from "./fake";
import { LabHostUnavailableError, LabObjectMissingError, SpecError, type SessionSpec } from "./port";

function spec(over: Partial<SessionSpec> = {}): SessionSpec {
  return {
    sessionId: randomUUID(),
    networks: [],
    containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
    labDns: false,
    ...over,
  };
}

function collect(stream: NodeJS.ReadableStream): { text: () => string } {
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return { text: () => text };
}

describe("fake provisioner", () => {
  it("runs what a container's script says, and only in that container", async () => {
    const fake = createFakeProvisioner();
    const { sessionId } = spec();
    await fake.provision(
      spec({
        sessionId,
        containers: [
          { name: "a", image: "busybox:latest", network: "bridge" },
          { name: "b", image: "busybox:latest", network: "bridge" },
        ],
      }),
    );
    fake.script(sessionId, "a", (argv) => ({ exitCode: 3, output: `ran ${argv.join(" ")}\n` }));
    expect(await fake.run(sessionId, "a", ["ip", "addr"])).toEqual({ exitCode: 3, output: "ran ip addr\n" });
    expect(await fake.run(sessionId, "b", ["ip", "addr"])).toEqual({ exitCode: 127, output: "sh: ip: not found\n" });
  });

  it("fails a run that outlasts its timeout, naming the command", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    await fake.provision(s);
    fake.script(s.sessionId, "busybox1", () => new Promise(() => {}));
    await expect(fake.run(s.sessionId, "busybox1", ["sleep", "9"], { timeoutMs: 20 })).rejects.toThrow(
      "sleep 9 did not finish within 20 ms",
    );
  });

  it("fails the next provisions as scripted, then provisions", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    fake.failNextProvisions(2);
    await expect(fake.provision(s)).rejects.toThrow(LabHostUnavailableError);
    await expect(fake.provision(s)).rejects.toThrow(LabHostUnavailableError);
    expect(await fake.listSessionsWithObjects()).toEqual([]);
    await fake.provision(s);
    expect(await fake.listSessionsWithObjects()).toEqual([s.sessionId]);

    fake.failNextProvisions(1, new Error("boom"));
    await expect(fake.provision(s)).rejects.toThrow("boom");
  });

  it("fails every call while the engine is down", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    await fake.provision(s);
    fake.setEngineDown(true);
    await expect(fake.ping()).rejects.toThrow(LabHostUnavailableError);
    await expect(fake.provision(s)).rejects.toThrow(LabHostUnavailableError);
    await expect(fake.listSessionsWithObjects()).rejects.toThrow(LabHostUnavailableError);
    await expect(fake.run(s.sessionId, "busybox1", ["true"])).rejects.toThrow(LabHostUnavailableError);
    await expect(fake.teardown(s.sessionId)).rejects.toThrow(LabHostUnavailableError);
    fake.setEngineDown(false);
    expect(await fake.listSessionsWithObjects()).toEqual([s.sessionId]);
  });

  it("stops a container: its terminals end, it cannot run commands, and the next provision restarts it", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    await fake.provision(s);
    const terminal = await fake.openTerminal(s.sessionId, "busybox1", { cols: 80, rows: 24 });
    const closed = new Promise((resolve) => terminal.stream.once("close", resolve));
    fake.stopContainer(s.sessionId, "busybox1");
    await closed;
    expect(fake.terminals[0]?.closed).toBe(true);
    expect(await fake.inspectContainer(s.sessionId, "busybox1")).toEqual({ running: false, networkMode: "bridge" });
    await expect(fake.run(s.sessionId, "busybox1", ["true"])).rejects.toThrow(LabObjectMissingError);
    await expect(fake.openTerminal(s.sessionId, "busybox1", { cols: 80, rows: 24 })).rejects.toThrow(LabObjectMissingError);
    await fake.provision(s);
    expect((await fake.inspectContainer(s.sessionId, "busybox1"))?.running).toBe(true);
    expect(() => fake.stopContainer(s.sessionId, "busybox9")).toThrow(/no container busybox9/);
  });

  it("ends a session's terminals when the session is torn down", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    await fake.provision(s);
    const terminal = await fake.openTerminal(s.sessionId, "host", { cols: 80, rows: 24 });
    await fake.teardown(s.sessionId);
    expect(fake.terminals).toEqual([terminal]);
    expect(terminal.stream.destroyed).toBe(true);
  });

  it("reports each container's network mode in the learner's words", async () => {
    const fake = createFakeProvisioner();
    const s = spec({
      networks: [{ name: "mynet", driver: "overlay" }],
      containers: [
        { name: "a", image: "busybox:latest", network: "mynet" },
        { name: "b", image: "busybox:latest", network: "none" },
        { name: "c", image: "busybox:latest", network: "host" },
        { name: "d", image: "busybox:latest", network: "container:a" },
      ],
      labDns: true,
    });
    await fake.provision(s);
    const modes = await Promise.all(["a", "b", "c", "d", "dns"].map((n) => fake.inspectContainer(s.sessionId, n)));
    expect(modes.map((m) => m?.networkMode)).toEqual(["mynet", "none", "host", "container:a", "bridge"]);
    expect((await fake.networkView(s.sessionId)).find((n) => n.name === "mynet")).toMatchObject({
      driver: "overlay",
      scope: "swarm",
    });
  });

  it("refuses overlay networks without swarm, and specs beyond its limits", async () => {
    const fake = createFakeProvisioner({ swarm: false, limits: { maxContainers: 1, maxNetworks: 4 } });
    await expect(fake.provision(spec({ networks: [{ name: "o", driver: "overlay" }] }))).rejects.toThrow(SpecError);
    const two = [
      { name: "a", image: "busybox:latest" as const, network: "bridge" },
      { name: "b", image: "busybox:latest" as const, network: "bridge" },
    ];
    await expect(fake.provision(spec({ containers: two }))).rejects.toThrow("a session may run at most 1 containers");
  });

  it("plays a TTY shell: prompt, echo of keystrokes, one command's output after another, resizes recorded", async () => {
    const fake = createFakeProvisioner();
    const s = spec();
    await fake.provision(s);
    let release: () => void = () => {};
    fake.script(s.sessionId, "busybox1", (argv) =>
      argv[2] === "slow"
        ? new Promise((resolve) => (release = () => resolve({ exitCode: 0, output: "slow done\n" })))
        : { exitCode: 0, output: "fast\n" },
    );
    const terminal = await fake.openTerminal(s.sessionId, "busybox1", { cols: 80, rows: 24 });
    const out = collect(terminal.stream);
    terminal.stream.write("slow\rquick\r");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toBe("/ # slow\r\nquick\r\n");
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toBe("/ # slow\r\nquick\r\nslow done\r\n/ # fast\r\n/ # ");
    expect(terminal.input).toBe("slow\rquick\r");

    await terminal.resize({ cols: 120, rows: 40 });
    expect(fake.terminals[0]?.resizes).toEqual([
      { cols: 80, rows: 24 },
      { cols: 120, rows: 40 },
    ]);
    fake.terminals[0]?.print("from the test");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toMatch(/from the test$/);
  });
});
