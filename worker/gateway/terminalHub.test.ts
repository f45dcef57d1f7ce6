// TerminalHub over the fake provisioner: one shell per container, opened on the first client,
// nothing a client sends while it opens is lost, and the limits and failures clients are told.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeProvisioner } from "~/core/provisioner/fake";
import { refusal } from "~/protocol/terminalProtocol";
import { eventually } from "../../test/support/eventually";
import { FakeSocket } from "./fakeSocket";
import type { Joiner } from "./sharedTerminal";
import { hubLimits, TerminalHub } from "./terminalHub";

const until = <T>(what: string, probe: () => T | undefined | false) =>
  eventually(what, probe, { timeoutMs: 3_000, intervalMs: 2 });
const joiner: Joiner = { userId: "u1", clientId: "tab1", handle: "ada", role: "driver" };
const defaults = { ...hubLimits };
const hubs: TerminalHub[] = [];
afterEach(async () => {
  Object.assign(hubLimits, defaults);
  await Promise.all(hubs.splice(0).map((hub) => hub.closeAll("test over")));
});

async function setup() {
  const fake = createFakeProvisioner();
  const sessionId = randomUUID();
  const containers = ["busybox1", "busybox2", "busybox3"].map((name) => ({
    name,
    image: "busybox:latest" as const,
    network: "bridge",
  }));
  await fake.provision({ sessionId, networks: [], containers, labDns: false });
  const hub = new TerminalHub(fake);
  hubs.push(hub);
  return { fake, sessionId, hub };
}

describe("TerminalHub", () => {
  it("keeps what a client sends while its shell opens and applies it once the shell is open", async () => {
    const { fake, sessionId, hub } = await setup();
    const socket = new FakeSocket();
    const joined = hub.join(socket, sessionId, "busybox1", joiner);
    socket.send("resize", { cols: 120, rows: 40 });
    socket.send("input", { seq: 1, data: "early" });
    expect(socket.all("inputAck")).toEqual([]); // the shell is still opening: kept, not lost
    await joined;
    const [shell] = fake.terminals;
    expect(shell?.input).toBe("early");
    expect(socket.all("inputAck")).toEqual([{ seq: 1 }]);
    await until("the early resize to reach the shell", () => shell?.resizes.some((s) => s.cols === 120 && s.rows === 40));
  });

  it("opens one shell per container, shared by its clients", async () => {
    const { fake, sessionId, hub } = await setup();
    await Promise.all([
      hub.join(new FakeSocket(), sessionId, "busybox1", joiner),
      hub.join(new FakeSocket(), sessionId, "busybox1", { ...joiner, userId: "u2" }),
      hub.join(new FakeSocket(), sessionId, "busybox2", joiner),
    ]);
    expect(fake.terminals.map((t) => t.container)).toEqual(["busybox1", "busybox2"]);
    expect(hub.get(sessionId, "busybox1")?.clientCount).toBe(2);
  });

  it("tells a client its terminal could not be opened, and disconnects it", async () => {
    const { sessionId, hub } = await setup();
    const socket = new FakeSocket();
    await hub.join(socket, sessionId, "busybox9", joiner);
    expect(socket.all("error")).toEqual([
      { code: "unavailable", message: "there is no container busybox9 in this session (it was removed, or never created)" },
    ]);
    expect(socket.disconnected).toBe(true);
    expect(hub.get(sessionId, "busybox9")).toBeUndefined();
  });

  it("ends an open terminal whose container was removed saying so; a shell that exits says that and offers a new one", async () => {
    const { fake, sessionId, hub } = await setup();
    const removed = new FakeSocket();
    const exited = new FakeSocket();
    await hub.join(removed, sessionId, "busybox1", joiner);
    await hub.join(exited, sessionId, "busybox2", joiner);
    fake.removeContainer(sessionId, "busybox1");
    await vi.waitFor(() =>
      expect(removed.all("exit")).toEqual([{ reason: "container busybox1 was removed; its terminal is closed", reopen: false }]),
    );
    expect(removed.disconnected).toBe(true);
    await fake.terminals.find((t) => t.container === "busybox2")!.close();
    await vi.waitFor(() => expect(exited.all("exit")).toEqual([{ reason: "shell exited", reopen: true }]));
    expect(hub.get(sessionId, "busybox1")).toBeUndefined();
    // Reconnecting to the container whose shell exited opens a new shell.
    const again = new FakeSocket();
    await hub.join(again, sessionId, "busybox2", joiner);
    expect(fake.terminals.filter((t) => t.container === "busybox2")).toHaveLength(2);
    expect(again.all("snapshot")).toHaveLength(1);
    expect(again.disconnected).toBe(false);
  });

  it("ends an open terminal whose container stopped saying so", async () => {
    const { fake, sessionId, hub } = await setup();
    const socket = new FakeSocket();
    await hub.join(socket, sessionId, "busybox1", joiner);
    fake.stopContainer(sessionId, "busybox1");
    await vi.waitFor(() =>
      expect(socket.all("exit")).toEqual([
        { reason: "container busybox1 stopped (or is being removed); its terminal is closed", reopen: false },
      ]),
    );
  });

  it("says a stopped container is not running, and a removed one is gone", async () => {
    const { fake, sessionId, hub } = await setup();
    fake.stopContainer(sessionId, "busybox1");
    const stopped = new FakeSocket();
    await hub.join(stopped, sessionId, "busybox1", joiner);
    expect(stopped.all("error")).toEqual([{ code: "unavailable", message: "container busybox1 is not running in this session" }]);
    fake.removeContainer(sessionId, "busybox2");
    const removed = new FakeSocket();
    await hub.join(removed, sessionId, "busybox2", joiner);
    expect(removed.all("error")).toEqual([
      { code: "unavailable", message: "there is no container busybox2 in this session (it was removed, or never created)" },
    ]);
  });

  it("refuses terminals and clients beyond its limits", async () => {
    const { sessionId, hub } = await setup();
    hubLimits.terminalsPerSession = 2;
    hubLimits.clientsPerTerminal = 1;
    await hub.join(new FakeSocket(), sessionId, "busybox1", joiner);
    await hub.join(new FakeSocket(), sessionId, "busybox2", joiner);
    expect(hub.refusalFor(sessionId, "busybox3")).toBe(refusal.tooManyTerminals);
    expect(hub.refusalFor(sessionId, "busybox1")).toBe(refusal.tooManyClients);
    expect(hub.refusalFor(randomUUID(), "busybox1")).toBeNull();
  });

  it("ends a session's shells when the session closes, and forgets them", async () => {
    const { fake, sessionId, hub } = await setup();
    const socket = new FakeSocket();
    await hub.join(socket, sessionId, "busybox1", joiner);
    await hub.closeSession(sessionId, "the session was stopped");
    expect(socket.all("exit")).toEqual([{ reason: "the session was stopped", reopen: false }]);
    expect(fake.terminals[0]?.closed).toBe(true);
    expect(hub.get(sessionId, "busybox1")).toBeUndefined();
    expect(hub.refusalFor(sessionId, "busybox1")).toBeNull();
  });

  it("ends every shell when the worker stops, offering a new one (the containers stay)", async () => {
    const { sessionId, hub } = await setup();
    const socket = new FakeSocket();
    await hub.join(socket, sessionId, "busybox1", joiner);
    await hub.closeAll("the lab host is restarting");
    expect(socket.all("exit")).toEqual([{ reason: "the lab host is restarting", reopen: true }]);
    expect(socket.disconnected).toBe(true);
  });

  it("tells clients to reconnect by themselves when the worker drains (the lab host comes back)", async () => {
    const { sessionId, hub } = await setup();
    const socket = new FakeSocket();
    await hub.join(socket, sessionId, "busybox1", joiner);
    await hub.closeAll("the lab host is restarting", { resume: true });
    expect(socket.all("exit")).toEqual([{ reason: "the lab host is restarting", reopen: true, resume: true }]);
    expect(socket.disconnected).toBe(true);
  });
});
