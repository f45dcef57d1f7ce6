// Packet capture through the real worker: a capture on busybox2's eth0 sees busybox1's ping (ARP,
// then ICMP), decoded with the right addresses and as tcpdump itself reads the same bytes; the
// session host's docker0; the per-session limit; a flood ends the capture at the packet-rate limit
// and big pings at the size limit, with the worker's memory bounded (a reader and a subscriber that
// stopped reading) and the helpers removed; a starting worker removes only its own leftover helpers.
import { execFile } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endReasons } from "../../worker/capture/liveCapture";
import { sessionLimitMessage } from "../../worker/capture/manager";
import { ensureRolling, rollingPackets, stopRolling } from "../../worker/capture/rolling";
import type { RunningWorker } from "../../worker/app";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { createDockerCapturePort } from "../../worker/provisioner/docker/capture";
import { Status } from "~/protocol/sessionStatus";
import type { DecodedPacket } from "~/protocol/terminalProtocol";
import { connectCapture, pcapOf, type CaptureClient } from "../support/captureClient";
import { eventually } from "../support/eventually";
import { engine, learner, testWorker, waitForStatus, within } from "../support/harness";
import { parseIfconfig, type Interface } from "../support/netparse";

const MAX_PPS = 300;
const MAX_BYTES = 256 * 1024;
/** What waits for one subscriber that does not read, at most (then it is unsubscribed). */
const MAX_QUEUED = 256 * 1024;
/**
 * The worker (this process) may keep at most this more, after a full collection, once a capture flooded
 * past its size limit ended: its MAX_BYTES of packets, one subscriber's MAX_QUEUED, and slack for the
 * measure's noise (seen from -2.4 MB to +1.7 MB in this file); a worker that kept the whole flood (~3.4 MB
 * of packets, plus their decoded copies queued for the stalled subscriber) holds more.
 */
const HEAP_GROWTH_BOUND = 16 * MAX_BYTES;

/** A full collection (the flag set now, gc taken from a fresh context), then the bytes held (heap and buffers). */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function heldAfterGc(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const docker = createDockerClient(process.env.DOCKER_HOST);
let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
/** A session of network-modes: hosted (host mode), joined (container:busybox1), closed (none). */
let modesSession: string;
let client: CaptureClient;
let box1: Interface;
let box2: Interface;

async function eth0Of(container: string): Promise<Interface> {
  const { exitCode, output } = await engine.run(sessionId, container, ["ifconfig", "eth0"]);
  expect(exitCode, output).toBe(0);
  const eth0 = parseIfconfig(output).get("eth0");
  if (!eth0?.ipv4 || !eth0.mac) throw new Error(`no address on ${container}'s eth0: ${output}`);
  return { ...eth0, mac: eth0.mac.toLowerCase() };
}

/** The session's capture helper containers on the engine. */
async function captureHelpers(session = sessionId) {
  const listed = await docker.listContainers({ all: true, filters: { label: [`io.wireroom.session=${session}`] } });
  return listed.filter((c) => (c.Labels["io.wireroom.name"] ?? "").startsWith("capture."));
}

/** The engine id of a session's container. */
async function engineId(session: string, name: string): Promise<string> {
  const [found] = await docker.listContainers({
    filters: { label: [`io.wireroom.session=${session}`, `io.wireroom.name=${name}`] },
  });
  if (!found) throw new Error(`no ${name} in ${session}`);
  return found.Id;
}

beforeAll(async () => {
  worker = await testWorker({
    CAPTURE_MAX_PPS: String(MAX_PPS),
    CAPTURE_MAX_BYTES: String(MAX_BYTES),
    CAPTURE_MAX_QUEUED_BYTES: String(MAX_QUEUED),
  });
  owner = await learner();
  const start = async (labSlug: string) => (await owner.api.session.start({ labSlug })).id;
  [sessionId, modesSession] = await Promise.all([start("two-bridges"), start("network-modes")]);
  await Promise.all([waitForStatus(sessionId, [Status.ready], 60_000), waitForStatus(modesSession, [Status.ready], 60_000)]);
  [box1, box2] = await Promise.all([eth0Of("busybox1"), eth0Of("busybox2")]);
  const { token } = await owner.api.capture.token({ sessionId });
  client = await connectCapture(worker.port, { token, sessionId });
}, 120_000);

afterAll(async () => {
  client?.close();
  await worker?.stop();
  await Promise.all([sessionId, modesSession].filter(Boolean).map((id) => engine.teardown(id)));
});

/** tcpdump's own reading of a .pcap (the nettools image, no network). */
function tcpdumpRead(pcap: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "docker",
      ["run", "--rm", "-i", "--network", "none", "wireroom/nettools:latest", "tcpdump", "-nr", "-"],
      { timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim().split("\n"))),
    );
    child.stdin!.end(pcap);
  });
}

const isEcho = (kind: string, from: Interface, to: Interface) => (p: DecodedPacket) =>
  p.icmp?.kind === kind && p.ipv4?.src === from.ipv4 && p.ipv4?.dst === to.ipv4;

describe("a capture on busybox2's eth0", () => {
  it("sees the ARP and ICMP of a ping from busybox1, decoded with the right addresses, as tcpdump reads them", async () => {
    const started = await client.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    const id = started.captureId;
    expect(client.captures().find((c) => c.id === id)).toMatchObject({ container: "busybox2", iface: "eth0", state: "running" });
    client.subscribe(id);

    const ping = await engine.run(sessionId, "busybox1", ["ping", "-c", "2", "-W", "5", box2.ipv4!]);
    expect(ping.output).toMatch(/2 packets received/);
    const packets = await client.waitForPackets(id, "two echo replies on busybox2's eth0", (list) =>
      list.filter(isEcho("echo-reply", box2, box1)).length >= 2 ? [...list] : undefined,
    );

    const who = packets.find((p) => p.arp?.op === "request" && p.arp.targetIp === box2.ipv4);
    expect(who, JSON.stringify(packets.map((p) => p.info))).toBeDefined();
    expect(who!.arp).toMatchObject({ senderIp: box1.ipv4, senderMac: box1.mac });
    expect(who!.info).toBe(`Who has ${box2.ipv4}? Tell ${box1.ipv4}`);
    const request = packets.find(isEcho("echo-request", box1, box2))!;
    expect(request.protocol).toBe("ICMP");
    expect(request.eth).toMatchObject({ src: box1.mac, dst: box2.mac, type: 0x0800 });
    expect(request.src).toBe(box1.ipv4);
    expect(request.dst).toBe(box2.ipv4);
    expect(request.layers.map((l) => l.name)).toEqual([
      "Frame",
      "Ethernet II",
      "Internet Protocol Version 4",
      "Internet Control Message Protocol",
    ]);
    const reply = packets.find(isEcho("echo-reply", box2, box1))!;
    expect(reply.eth).toMatchObject({ src: box2.mac, dst: box1.mac });
    expect(reply.icmp?.id).toBe(request.icmp?.id);
    // Numbered from 1, in order, nothing twice.
    expect(packets.map((p) => p.no)).toEqual(packets.map((_, i) => i + 1));

    // tcpdump reads the same bytes the same way: one line per packet, same time, addresses and kind
    // (`packets` is a copy: more may arrive meanwhile, an ARP of busybox2's, say).
    const lines = await tcpdumpRead(pcapOf(packets));
    expect(
      lines,
      `${lines.join("\n")}\n--- decoded:\n${packets.map((p) => `${p.no} ${p.protocol} ${p.info}`).join("\n")}`,
    ).toHaveLength(packets.length);
    packets.forEach((p, i) => {
      const line = lines[i]!;
      expect(line, `packet ${p.no}: ${p.info}`).toContain(`.${String(p.ts % 1_000_000).padStart(6, "0")} `);
      if (p.arp?.op === "request") expect(line).toContain(`Request who-has ${p.arp.targetIp} tell ${p.arp.senderIp}`);
      if (p.arp?.op === "reply") expect(line).toContain(`Reply ${p.arp.senderIp} is-at ${p.arp.senderMac}`);
      if (p.icmp && (p.icmp.kind === "echo-request" || p.icmp.kind === "echo-reply")) {
        const kind = p.icmp.kind === "echo-request" ? "request" : "reply";
        expect(line).toContain(`IP ${p.src} > ${p.dst}: ICMP echo ${kind}, id ${p.icmp.id}, seq ${p.icmp.seq}`);
      }
    });

    const stopped = await client.stop(id);
    expect(stopped).toEqual({ ok: true, captureId: id });
    const ended = await client.waitForCapture(id, "the capture listed as ended", (c) => c.state === "ended");
    expect(ended.reason).toBe(endReasons.stoppedBy(owner.handle));
    expect(ended.packets).toBeGreaterThanOrEqual(packets.length);
    await eventually("the capture's helper removed", async () => (await captureHelpers()).length === 0);
  });

  it("captures on the session host's docker0, and refuses a third live capture in the session", async () => {
    const onHost = await client.start("host", "docker0");
    const onBox1 = await client.start("busybox1", "eth0");
    if (!onHost.ok || !onBox1.ok) throw new Error(JSON.stringify([onHost, onBox1]));
    const third = await client.start("busybox2", "eth0");
    expect(third).toEqual({ ok: false, error: { code: "bad-request", message: sessionLimitMessage(2) } });

    client.subscribe(onHost.captureId);
    await engine.run(sessionId, "busybox1", ["ping", "-c", "1", "-W", "5", box2.ipv4!]);
    // busybox1 → busybox2 crosses the bridge whose gateway side is the session host's docker0: the host
    // sees its broadcasts (ARP) at least, never an address of the machine.
    await engine.run(sessionId, "busybox1", ["ping", "-c", "1", "-W", "2", "10.255.255.254"]).catch(() => undefined);
    await client.waitForPackets(onHost.captureId, "packets on the session host's docker0", (list) => list.length > 0);

    expect(await client.stop(onHost.captureId)).toMatchObject({ ok: true });
    expect(await client.stop(onBox1.captureId)).toMatchObject({ ok: true });
    expect(await client.stop(onBox1.captureId)).toMatchObject({ ok: false, error: { code: "bad-request" } });
    await eventually("both helpers removed", async () => (await captureHelpers()).length === 0);
  });
});

describe("rolling captures (for checks)", () => {
  it("keep the last minute of an interface, decoded, never listed to browsers, and stop with their session's call", async () => {
    await ensureRolling(sessionId, "busybox2", "eth0");
    await ensureRolling(sessionId, "busybox2", "eth0"); // idempotent: one helper
    expect(await captureHelpers()).toHaveLength(1);
    expect(client.captures().filter((c) => c.state === "running")).toEqual([]);
    await engine.run(sessionId, "busybox1", ["ping", "-c", "1", "-W", "5", box2.ipv4!]);
    const seen = await eventually("the ping in the rolling capture", () => {
      const packets = rollingPackets(sessionId, "busybox2", "eth0");
      return packets.some(isEcho("echo-reply", box2, box1)) && packets;
    });
    expect(seen.find(isEcho("echo-request", box1, box2))?.eth?.src).toBe(box1.mac);
    await expect(ensureRolling(sessionId, "busybox2", "docker0")).rejects.toThrow(/has no interface "docker0"/);
    await stopRolling(sessionId);
    expect(rollingPackets(sessionId, "busybox2", "eth0")).toEqual([]);
    await eventually("the rolling helper removed", async () => (await captureHelpers()).length === 0);
  });
});

describe("shared namespaces", () => {
  it("joins the namespace a container shares (host mode: the session host's; container:, its target's; none: lo only), and ends with its container", async () => {
    const modes = await connectCapture(worker.port, {
      token: (await owner.api.capture.token({ sessionId: modesSession })).token,
      sessionId: modesSession,
    });
    try {
      const helperMode = async () => {
        const [helper] = await captureHelpers(modesSession);
        return (await docker.getContainer(helper!.Id).inspect()).HostConfig.NetworkMode;
      };
      const hosted = await modes.start("hosted", "docker0");
      if (!hosted.ok) throw new Error(hosted.error.message);
      expect(await helperMode()).toBe(`container:${await engineId(modesSession, "host")}`);
      expect(await modes.stop(hosted.captureId)).toMatchObject({ ok: true });
      await eventually("the host-mode helper removed", async () => (await captureHelpers(modesSession)).length === 0);

      const joined = await modes.start("joined", "eth0");
      if (!joined.ok) throw new Error(joined.error.message);
      expect(await helperMode()).toBe(`container:${await engineId(modesSession, "busybox1")}`);
      expect(await modes.stop(joined.captureId)).toMatchObject({ ok: true });

      expect(await modes.start("closed", "eth0")).toMatchObject({
        ok: false,
        error: { message: '"closed" has no interface "eth0": its interfaces are lo' },
      });
      // A capture ends when its container goes, and its helper with it.
      const lo = await modes.start("closed", "lo");
      if (!lo.ok) throw new Error(lo.error.message);
      await docker.getContainer(await engineId(modesSession, "closed")).remove({ force: true });
      const gone = await modes.waitForCapture(
        lo.captureId,
        "the capture of a removed container ended",
        (c) => c.state === "ended",
      );
      expect(gone.reason).toMatch(/stopped|removed/);
      await eventually("its helper removed", async () => (await captureHelpers(modesSession)).length === 0);
    } finally {
      modes.close();
    }
  });
});

describe("limits", () => {
  it("a flood ends the capture at the packet-rate limit, keeping at most its bytes", async () => {
    const started = await client.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    const id = started.captureId;
    // -A: the next request as soon as the reply arrives (thousands per second on a bridge).
    const flood = engine.run(sessionId, "busybox1", ["ping", "-A", "-w", "3", "-q", box2.ipv4!], { timeoutMs: 20_000 });
    const ended = await client.waitForCapture(id, "the flooded capture ended", (c) => c.state === "ended", { timeoutMs: 15_000 });
    expect(ended.reason).toBe(endReasons.tooFast(MAX_PPS));
    expect(ended.bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(ended.packets).toBeGreaterThan(MAX_PPS);
    await eventually("the flooded capture's helper removed", async () => (await captureHelpers()).length === 0);
    await flood;
  });

  it("large frames under the rate, well past the size limit, with a reader and one that stops reading: the worker keeps its bound", async () => {
    const { token } = await owner.api.capture.token({ sessionId });
    const stalled = await connectCapture(worker.port, { token, sessionId });
    const before = heldAfterGc();
    const transport = stalled.socket.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void; resume(): void } } };
    // The reader lives in this function only: what it received is gone before the worker is measured.
    const ended = await (async () => {
      const reader = await connectCapture(worker.port, { token, sessionId });
      const started = await reader.start("busybox2", "eth0");
      if (!started.ok) throw new Error(started.error.message);
      const id = started.captureId;
      reader.subscribe(id);
      stalled.subscribe(id);
      await stalled.waitForPackets(id, "the stalled subscriber's first packets", (list) => list.length > 0, {
        timeoutMs: 15_000,
      });
      // It stops reading: its WebSocket's socket is paused (what the worker sends waits in the worker).
      transport.ws!._socket!.pause();
      // ~100 requests and 100 replies a second of ~1.4 kB: under the rate, ~3.4 MB in 12 s (13 x the size limit).
      const pings = engine.run(sessionId, "busybox1", ["ping", "-s", "1400", "-i", "0.01", "-w", "12", "-q", box2.ipv4!], {
        timeoutMs: 20_000,
      });
      const info = await reader.waitForCapture(id, "the capture full", (c) => c.state === "ended", { timeoutMs: 20_000 });
      expect(info.reason).toBe(endReasons.full);
      expect(info.bytes).toBeLessThanOrEqual(MAX_BYTES);
      await within(pings, 25_000, "the pings to end");
      await reader.waitForPackets(id, "every packet kept, read", (list) => list.length >= info.packets);
      reader.close();
      return info;
    })();
    const growth = heldAfterGc() - before;
    console.log(
      `[capture] ${ended.packets} packets (${ended.bytes} bytes) kept, then "${ended.reason}"; held after gc +${growth} bytes`,
    );
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
    transport.ws!._socket!.resume();
    stalled.close();
  });

  it("a capture ends at its size limit, and a late subscriber gets everything it kept", async () => {
    const started = await client.start("busybox2", "eth0");
    if (!started.ok) throw new Error(started.error.message);
    const id = started.captureId;
    // ~50 requests and 50 replies a second of ~1 KB: under the rate limit, past 256 KiB in a few seconds.
    const pings = engine.run(sessionId, "busybox1", ["ping", "-s", "1000", "-i", "0.02", "-w", "6", "-q", box2.ipv4!], {
      timeoutMs: 20_000,
    });
    const ended = await client.waitForCapture(id, "the capture full", (c) => c.state === "ended", { timeoutMs: 20_000 });
    expect(ended.reason).toBe(endReasons.full);
    expect(ended.bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(ended.bytes).toBeGreaterThan(MAX_BYTES - 2 * 1100);
    client.subscribe(id);
    const kept = await client.waitForPackets(id, "everything the capture kept", (list) => list.length >= ended.packets && list);
    expect(kept.map((p) => p.no)).toEqual(kept.map((_, i) => i + 1));
    expect(kept.reduce((sum, p) => sum + 16 + p.caplen, 0)).toBe(ended.bytes);
    expect(client.socket.connected).toBe(true);
    await within(pings, 20_000, "the pings to end");
  });
});

describe("a starting worker's leftovers", () => {
  it("removes its own capture helpers and those of no worker, never another worker's", async () => {
    const installationId = `b1f-${Date.now()}`;
    const session = "b1f00000-0000-4000-8000-000000000001";
    const made: string[] = [];
    const helper = async (name: string, worker?: string) => {
      const c = await docker.createContainer({
        name: `b1f-${name}-${Date.now()}`,
        Image: "busybox:latest",
        Cmd: ["sleep", "60"],
        Labels: {
          "io.wireroom.managed": "true",
          "io.wireroom.installation": installationId,
          "io.wireroom.session": session,
          "io.wireroom.name": `capture.${name}`,
          "io.wireroom.kind": "helper",
          ...(worker && { "io.wireroom.worker": worker }),
        },
      });
      made.push(c.id);
      return c.id;
    };
    try {
      const mine = await helper("mine", "w-me");
      const theirs = await helper("theirs", "w-other");
      const orphan = await helper("orphan");
      await createDockerCapturePort(docker, { image: "unused", installationId, workerId: "w-me" }).removeAll();
      const left = (
        await docker.listContainers({ all: true, filters: { label: [`io.wireroom.installation=${installationId}`] } })
      ).map((c) => c.Id);
      expect(left).toContain(theirs);
      expect(left).not.toContain(mine);
      expect(left).not.toContain(orphan);
    } finally {
      await Promise.all(
        made.map((id) =>
          docker
            .getContainer(id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    }
  });
});
