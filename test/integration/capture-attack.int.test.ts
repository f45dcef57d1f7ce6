// Capture, adversarially: a viewer watches but cannot start or stop; a token for one session opens
// nothing of another (neither its connection nor its capture ids); a capture never reaches another
// session's container, a made-up one, or an interface the container does not have (the machine's
// docker0, tcpdump's "any", path tricks); tokens of one namespace do not open the other; a stopped
// session ends its captures, disconnects their watchers and leaves no helper behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { RunningWorker } from "../../worker/app";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { captureBadRequest } from "../../worker/gateway/captureSocket";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { Status } from "~/protocol/sessionStatus";
import { captureRefusal, TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { connectCapture, type CaptureClient } from "../support/captureClient";
import { eventually } from "../support/eventually";
import { connectTerminal, engine, learner, testWorker, waitForStatus } from "../support/harness";

type Learner = Awaited<ReturnType<typeof learner>>;

const docker = createDockerClient(process.env.DOCKER_HOST);
let worker: RunningWorker;
let alice: Learner;
let bob: Learner;
let viewer: Learner;
let sessionA: string;
let sessionB: string;
const open: CaptureClient[] = [];

async function connectAs(who: Learner, sessionId: string, tokenSession = sessionId): Promise<CaptureClient> {
  const { token } = await who.api.capture.token({ sessionId: tokenSession });
  const client = await connectCapture(worker.port, { token, sessionId });
  open.push(client);
  return client;
}

const helpersOf = async (sessionId: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`io.wireroom.session=${sessionId}`] } })).filter((c) =>
    (c.Labels["io.wireroom.name"] ?? "").startsWith("capture."),
  );

const capEff = async (sessionId: string, container: string) =>
  /CapEff:\s*(\w+)/.exec((await engine.run(sessionId, container, ["cat", "/proc/self/status"])).output)?.[1];

beforeAll(async () => {
  worker = await testWorker();
  [alice, bob, viewer] = await Promise.all([learner(), learner(), learner()]);
  [sessionA, sessionB] = await Promise.all([
    alice.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
    bob.api.session.start({ labSlug: "two-bridges" }).then((s) => s.id),
  ]);
  await Promise.all([waitForStatus(sessionA, [Status.ready], 60_000), waitForStatus(sessionB, [Status.ready], 60_000)]);
  const { path } = await alice.api.session.share({ sessionId: sessionA, role: "viewer" });
  await viewer.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
}, 120_000);

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await Promise.all([sessionA, sessionB].filter(Boolean).map((id) => engine.teardown(id)));
});

describe("roles", () => {
  it("a viewer watches the owner's capture but can neither start nor stop one", async () => {
    const owner = await connectAs(alice, sessionA);
    const watcher = await connectAs(viewer, sessionA);
    expect((await viewer.api.capture.token({ sessionId: sessionA })).canCapture).toBe(false);

    const refused = await watcher.start("busybox2", "eth0");
    expect(refused).toMatchObject({ ok: false, error: { code: "read-only" } });
    expect(await helpersOf(sessionA)).toEqual([]);

    const started = await owner.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    await watcher.waitForCapture(started.captureId, "the viewer sees the capture", (c) => c.state === "running");
    watcher.subscribe(started.captureId);
    await engine.run(sessionA, "busybox1", ["ping", "-c", "1", "-W", "5", "busybox2"]).catch(() => undefined);
    const ip2 = /inet addr:(\S+)/.exec((await engine.run(sessionA, "busybox2", ["ifconfig", "eth0"])).output)![1]!;
    await engine.run(sessionA, "busybox1", ["ping", "-c", "1", "-W", "5", ip2]);
    await watcher.waitForPackets(started.captureId, "the viewer receives the ping", (list) =>
      list.some((p) => p.icmp?.kind === "echo-request" && p.ipv4?.dst === ip2),
    );

    expect(await watcher.stop(started.captureId)).toMatchObject({ ok: false, error: { code: "read-only" } });
    expect(owner.captures().find((c) => c.id === started.captureId)?.state).toBe("running");
    expect(await owner.stop(started.captureId)).toMatchObject({ ok: true });
    await eventually("the helper removed", async () => (await helpersOf(sessionA)).length === 0);
  });
});

describe("one session's token opens nothing of another", () => {
  it("refuses a connection to another session, and another session's capture ids", async () => {
    const { token } = await alice.api.capture.token({ sessionId: sessionA });
    await expect(connectCapture(worker.port, { token, sessionId: sessionB })).rejects.toThrow(captureRefusal.otherSession);
    // Bob's token for his own session is not Alice's to ask for.
    await expect(alice.api.capture.token({ sessionId: sessionB })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const bobs = await connectAs(bob, sessionB);
    const started = await bobs.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    const alices = await connectAs(alice, sessionA);
    expect(alices.captures().map((c) => c.id)).not.toContain(started.captureId);
    alices.subscribe(started.captureId);
    expect(await alices.stop(started.captureId)).toEqual({ ok: false, error: captureBadRequest.notRunning });
    await eventually("the refusal of the foreign subscription", () =>
      alices.errors.some((e) => e.message === captureBadRequest.noCapture.message),
    );
    await engine.run(sessionB, "busybox1", ["ping", "-c", "1", "-W", "5", "busybox2"]).catch(() => undefined);
    expect(alices.packets(started.captureId)).toEqual([]);
    expect(bobs.captures().find((c) => c.id === started.captureId)?.state).toBe("running");
    expect(await bobs.stop(started.captureId)).toMatchObject({ ok: true });
  });

  it("keeps each namespace's tokens to it: a terminal token opens no capture connection, a capture token no terminal", async () => {
    const terminalToken = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
      sub: alice.id,
      sid: sessionA,
      terminal: "busybox1",
      role: "driver",
      cid: randomBytes(16).toString("base64url"),
      handle: alice.handle,
    });
    await expect(connectCapture(worker.port, { token: terminalToken, sessionId: sessionA })).rejects.toThrow(
      /capture token is not valid/,
    );
    const { token } = await alice.api.capture.token({ sessionId: sessionA });
    await expect(connectTerminal(worker.port, { token, sessionId: sessionA, terminal: "busybox1" })).rejects.toThrow(
      /terminal token is not valid/,
    );
    expect(TERMINAL_NAMESPACE).not.toBe("/capture");
  });
});

describe("what a capture may name", () => {
  it("never another session's container, a made-up one, or an interface the container does not have", async () => {
    const client = await connectAs(alice, sessionA);
    const [bobsBox] = await docker.listContainers({
      filters: { label: [`io.wireroom.session=${sessionB}`, "io.wireroom.name=busybox2"] },
    });
    const refusals: [string, string, RegExp][] = [
      ["busybox2", "docker0", /^"busybox2" has no interface "docker0": its interfaces are eth0, lo$/],
      ["busybox2", "any", /has no interface "any"/],
      ["nope", "eth0", /this session has no running container "nope"/],
      [bobsBox!.Id, "eth0", /no running container|start needs/],
      [bobsBox!.Id.slice(0, 12), "eth0", /no running container|start needs/],
      [bobsBox!.Names[0]!.slice(1), "eth0", /no running container|start needs/],
      ["busybox2", "../eth0", /interface name/],
      ["busybox2", "eth0/../../lo", /interface name/],
      ["busybox2", "..", /interface name/],
      ["busybox2", "eth0;id", /interface name/],
      ["busybox2", "$(id)", /interface name/],
      ["busybox2", "", /interface name/],
      ["busybox2", "a234567890123456", /interface name/],
      ["../busybox2", "eth0", /start needs/],
    ];
    for (const [container, iface, message] of refusals) {
      const answer = await client.start(container, iface);
      expect(answer, `${container} ${iface}`).toMatchObject({ ok: false, error: { code: "bad-request" } });
      if (!answer.ok) expect(answer.error.message, `${container} ${iface}`).toMatch(message);
    }
    expect(await helpersOf(sessionA)).toEqual([]);
    expect(await helpersOf(sessionB)).toEqual([]);
    expect(client.socket.connected).toBe(true);
  });

  it("gives the captured container nothing: its capabilities stay none while a capture runs", async () => {
    const client = await connectAs(alice, sessionA);
    const before = await capEff(sessionA, "busybox2");
    expect(before).toBe("0000000000000000");
    const started = await client.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    expect(await capEff(sessionA, "busybox2")).toBe(before);
    const [helper] = await helpersOf(sessionA);
    const info = await docker.getContainer(helper!.Id).inspect();
    expect(info.HostConfig.CapAdd).toEqual(["NET_RAW"]);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
    expect(info.HostConfig.NetworkMode).toMatch(/^container:[0-9a-f]{64}$/);
    expect(info.Config.Labels["io.wireroom.kind"]).toBe("helper");
    expect(await client.stop(started.captureId)).toMatchObject({ ok: true });
  });
});

describe("floods", () => {
  it("cuts off a connection that floods events, and answers bursts of unknown or malformed ones with few errors", async () => {
    const client = await connectAs(alice, sessionA);
    for (let i = 0; i < 50; i++) client.socket.emit("nonsense", { i });
    for (let i = 0; i < 50; i++) client.socket.emit("subscribe", { captureId: "../../etc" });
    await eventually("the refusals", () => client.errors.length >= 5);
    expect(client.errors.length).toBeLessThan(20);
    expect(client.errors[0]!.message).toMatch(/^unknown event "nonsense"; events: start, stop, subscribe$/);
    for (let i = 0; i < 12_000; i++) client.socket.emit("subscribe", { captureId: "x" });
    await eventually("the flooding connection closed", () => !client.socket.connected, { timeoutMs: 20_000 });
    expect(client.errors.map((e) => e.code)).toContain("rate-limited");
  });
});

describe("the session ends", () => {
  it("ends its captures, disconnects their watchers and removes the helpers; another session's capture runs on", async () => {
    const alices = await connectAs(alice, sessionA);
    const bobs = await connectAs(bob, sessionB);
    const mine = await alices.start("busybox2", "eth0");
    const his = await bobs.start("busybox1", "eth0");
    if (!mine.ok || !his.ok) throw new Error(JSON.stringify([mine, his]));
    expect(await helpersOf(sessionA)).toHaveLength(1);

    await alice.api.session.stop({ sessionId: sessionA });
    await eventually("Alice's capture connection closed by the worker", () => !alices.socket.connected, { timeoutMs: 60_000 });
    expect(alices.errors.map((e) => e.message)).toContain("the session ended: the lab was stopped");
    await eventually("Alice's helper removed", async () => (await helpersOf(sessionA)).length === 0);
    await waitForStatus(sessionA, [Status.stopped], 60_000);

    expect(bobs.captures().find((c) => c.id === his.captureId)?.state).toBe("running");
    expect(await helpersOf(sessionB)).toHaveLength(1);
    expect(await bobs.stop(his.captureId)).toMatchObject({ ok: true });
  });
});
