import { describe, expect, it } from "vitest";
import { pcapHeader, pcapRecord } from "~/protocol/pcap";
import { ethernet, icmpEcho, ipv4Packet } from "~/core/capture/testFrames";
import { CaptureRefused, type CapturePort, type CaptureSink, type CaptureTarget } from "~/core/provisioner/capturePort";
import type { CaptureLimits } from "~/core/settings";
import type { CapturedPacket, CaptureInfo } from "~/protocol/terminalProtocol";
import { eventually } from "../../test/support/eventually";
import { endReasons } from "./liveCapture";
import { CaptureManager, KEEP_ENDED, sessionLimitMessage, START_RATE, startRateMessage } from "./manager";
import { ROLLING_FILTER, ROLLING_WINDOW_MS, RollingBusy, RollingCaptures, rollingWords } from "./rolling";
import { CaptureSlots, slotsFullMessage } from "./slots";

const limits: CaptureLimits = {
  CAPTURE_MAX_PPS: 100,
  CAPTURE_MAX_BYTES: 64 * 1024,
  CAPTURE_MAX_SECONDS: 300,
  CAPTURE_MAX_PER_SESSION: 2,
  CAPTURE_MAX_PER_WORKER: 3,
  CAPTURE_SNAPLEN: 1500,
  CAPTURE_MAX_ROLLING_PER_WORKER: 5,
  CAPTURE_MAX_ENDED_BYTES: 1024 * 1024,
  CAPTURE_MAX_QUEUED_BYTES: 4 * 1024 * 1024,
};
const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";

/** A port whose helpers are sinks the test feeds; `refuse` names containers it has not. */
class FakePort implements CapturePort {
  readonly sinks: { target: CaptureTarget; sink: CaptureSink; stopped: boolean }[] = [];
  removedAll: (string | undefined)[] = [];
  running = new Set(["busybox1", "busybox2", "host"]);

  start(target: CaptureTarget, sink: CaptureSink) {
    if (!this.running.has(target.container))
      return Promise.reject(new CaptureRefused(`no running container "${target.container}"`));
    const entry = { target, sink, stopped: false };
    this.sinks.push(entry);
    sink.data(Buffer.from(pcapHeader(target.snaplen)));
    return Promise.resolve({ helper: `h${this.sinks.length}`, stop: async () => void (entry.stopped = true) });
  }
  removeAll(sessionId?: string) {
    this.removedAll.push(sessionId);
    return Promise.resolve();
  }
  isRunning(_sessionId: string, container: string) {
    return Promise.resolve(this.running.has(container));
  }
}

const frame = (seq: number, size = 0) =>
  ethernet(
    "02:00:00:00:00:02",
    "02:00:00:00:00:01",
    0x0800,
    ipv4Packet("10.0.0.2", "10.0.0.3", 1, Buffer.concat([icmpEcho(8, 1, seq), Buffer.alloc(size)])),
  );
const record = (seq: number, size = 0) =>
  Buffer.from(pcapRecord({ ts: 1_700_000_000_000_000 + seq, len: frame(seq, size).length, data: frame(seq, size) }));

function setup(overrides: Partial<CaptureLimits> = {}) {
  const port = new FakePort();
  const all = { ...limits, ...overrides };
  const slots = new CaptureSlots(all.CAPTURE_MAX_PER_WORKER);
  const manager = new CaptureManager(port, all, slots);
  const lists: [string, CaptureInfo[]][] = [];
  const packets: CapturedPacket[] = [];
  const ended: string[] = [];
  manager.listen({
    changed: (s, l) => lists.push([s, l]),
    packets: (_s, _id, p) => packets.push(...p),
    sessionEnded: (s) => ended.push(s),
    wants: () => true,
  });
  return { port, manager, slots, lists, packets, ended };
}

describe("CaptureManager", () => {
  it("starts a capture, decodes its packets in batches, and stops it", async () => {
    const { port, manager, packets, lists, slots } = setup();
    const info = await manager.start(S1, { container: "busybox2", iface: "eth0" }, "ana");
    expect(info).toMatchObject({ container: "busybox2", iface: "eth0", startedBy: "ana", state: "running", packets: 0 });
    expect(port.sinks[0]!.target).toEqual({ sessionId: S1, container: "busybox2", iface: "eth0", snaplen: 1500 });
    port.sinks[0]!.sink.data(Buffer.concat([record(1), record(2)]));
    await eventually("the batch", () => packets.length === 2);
    expect(packets.map((p) => [p.no, p.icmp?.seq])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(Buffer.from(packets[0]!.data)).toEqual(frame(1));
    expect(manager.stop(S1, info.id, "bo")).toBe(true);
    expect(manager.list(S1)[0]).toMatchObject({ state: "ended", reason: endReasons.stoppedBy("bo"), packets: 2 });
    await eventually("the helper stopped", () => port.sinks[0]!.stopped);
    expect(slots.inUse).toBe(0);
    expect(lists.at(-1)![1][0]!.state).toBe("ended");
  });

  it("keeps each session to its own captures and its limit, and the worker to its slots", async () => {
    const { manager } = setup();
    const a = await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    await manager.start(S1, { container: "busybox2", iface: "eth0" }, "ana");
    await expect(manager.start(S1, { container: "host", iface: "docker0" }, "ana")).rejects.toThrow(sessionLimitMessage(2));
    expect(manager.get(S2, a.id)).toBeUndefined();
    expect(manager.stop(S2, a.id, "mallory")).toBe(false);
    await manager.start(S2, { container: "busybox1", iface: "eth0" }, "bo");
    await expect(manager.start(S2, { container: "busybox2", iface: "eth0" }, "bo")).rejects.toThrow(slotsFullMessage(3));
    expect(manager.live).toBe(3);
  });

  it("frees the slot of a capture that could not start", async () => {
    const { manager, slots } = setup();
    await expect(manager.start(S1, { container: "nope", iface: "eth0" }, "ana")).rejects.toBeInstanceOf(CaptureRefused);
    expect(slots.inUse).toBe(0);
    expect(manager.list(S1)).toEqual([]);
  });

  it("ends a capture over the packet rate, or at its size, keeping no more than its bytes", async () => {
    const { port, manager } = setup({ CAPTURE_MAX_PPS: 10 });
    const fast = await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    port.sinks[0]!.sink.data(Buffer.concat(Array.from({ length: 25 }, (_, i) => record(i + 1))));
    expect(manager.list(S1)[0]).toMatchObject({ id: fast.id, state: "ended", reason: endReasons.tooFast(10), packets: 20 });

    const big = setup({ CAPTURE_MAX_BYTES: 65_536 });
    const full = await big.manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    big.port.sinks[0]!.sink.data(Buffer.concat(Array.from({ length: 60 }, (_, i) => record(i + 1, 1400))));
    const info = big.manager.list(S1).find((c) => c.id === full.id)!;
    expect(info).toMatchObject({ state: "ended", reason: endReasons.full });
    expect(info.bytes).toBeLessThanOrEqual(65_536);
    expect(info.bytes).toBe(big.manager.get(S1, full.id)!.retainedBytes);
  });

  it("ends a capture whose stream is not pcap, and one whose container went away", async () => {
    const { port, manager } = setup();
    await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    const second = await manager.start(S1, { container: "busybox2", iface: "eth0" }, "ana");
    port.sinks[1]!.sink.data(Buffer.from("garbage that is no pcap record header at all"));
    expect(manager.get(S1, second.id)!.info.reason).toMatch(/not a packet capture/);
    port.running.delete("busybox1");
    await manager.recheck(S1);
    // One ended capture stays listed per session: the latest.
    expect(manager.list(S1)).toHaveLength(1);
    expect(manager.list(S1).find((c) => c.container === "busybox1")).toMatchObject({
      state: "ended",
      reason: '"busybox1" stopped or was removed',
    });
  });

  it("keeps the most recent ended captures listed", async () => {
    const { manager } = setup({ CAPTURE_MAX_PER_WORKER: 100 });
    for (let i = 0; i < KEEP_ENDED + 2; i++) {
      const c = await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
      manager.stop(S1, c.id, "ana");
    }
    expect(manager.list(S1)).toHaveLength(KEEP_ENDED);
  });

  it("keeps one ended capture per session, and at most the worker's number and bytes of them, oldest dropped first", async () => {
    const { port, manager } = setup({ CAPTURE_MAX_PER_WORKER: 3, CAPTURE_MAX_ENDED_BYTES: 3 * 1100 });
    const ids: string[] = [];
    const S3 = "33333333-3333-4333-8333-333333333333";
    for (const session of [S1, S2, S1, S3]) {
      const c = await manager.start(session, { container: "busybox1", iface: "eth0" }, "ana");
      port.sinks.at(-1)!.sink.data(record(1, 1000)); // ~1.06 kB kept
      manager.stop(session, c.id, "ana");
      ids.push(c.id);
    }
    // S1's first went with S1's second; all three others fit in 3 × 1100 bytes.
    expect(manager.get(S1, ids[0]!)).toBeUndefined();
    expect(manager.endedKept).toBe(3);
    expect(manager.endedBytes).toBeLessThanOrEqual(3 * 1100);
    const S4 = "44444444-4444-4444-8444-444444444444";
    const c = await manager.start(S4, { container: "busybox1", iface: "eth0" }, "ana");
    port.sinks.at(-1)!.sink.data(Buffer.concat([record(1, 1000), record(2, 1000)]));
    manager.stop(S4, c.id, "ana");
    // Over the bytes: the oldest (S2's, then S1's second) go.
    expect(manager.list(S2)).toEqual([]);
    expect(manager.list(S1)).toEqual([]);
    expect(manager.list(S3).map((x) => x.id)).toEqual([ids[3]]);
    expect(manager.list(S4).map((x) => x.id)).toEqual([c.id]);
    expect(manager.endedBytes).toBeLessThanOrEqual(3 * 1100);
    await manager.endSession(S3);
    expect(manager.endedKept).toBe(1);
  });

  it("bounds how fast a session starts captures (a burst, then some a minute), in words; another session is not held back", async () => {
    const port = new FakePort();
    let now = 0;
    const manager = new CaptureManager(port, { ...limits, CAPTURE_MAX_PER_WORKER: 100 }, new CaptureSlots(100), () => now);
    await expect(manager.start(S1, { container: "nope", iface: "eth0" }, "ana")).rejects.toThrow(/nope/); // costs nothing
    for (let i = 0; i < START_RATE.burst; i++) {
      const c = await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
      manager.stop(S1, c.id, "ana");
    }
    await expect(manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana")).rejects.toThrow(startRateMessage);
    await manager.start(S2, { container: "busybox1", iface: "eth0" }, "bo");
    now += 60_000 / START_RATE.perMinute;
    await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    expect(port.sinks).toHaveLength(START_RATE.burst + 2);
  });

  it("a session that ends while a capture starts leaves no capture, helper or slot behind", async () => {
    const port = new FakePort();
    let answer: () => void = () => undefined;
    const started = port.start.bind(port);
    port.start = (target, sink) => new Promise((resolve) => (answer = () => resolve(started(target, sink))));
    const slots = new CaptureSlots(3);
    const manager = new CaptureManager(port, limits, slots);
    const starting = manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    await manager.endSession(S1);
    answer();
    await expect(starting).rejects.toThrow(endReasons.sessionEnded);
    await eventually("the helper removed", () => port.sinks[0]?.stopped === true);
    expect(manager.list(S1)).toEqual([]);
    expect(manager.live).toBe(0);
    expect(slots.inUse).toBe(0);
  });

  it("ends everything of a session when it ends, and refuses new captures once closing", async () => {
    const { port, manager, ended, slots } = setup();
    await manager.start(S1, { container: "busybox1", iface: "eth0" }, "ana");
    await manager.start(S2, { container: "busybox1", iface: "eth0" }, "bo");
    await manager.endSession(S1);
    expect(manager.list(S1)).toEqual([]);
    expect(ended).toEqual([S1]);
    expect(port.removedAll).toEqual([S1]);
    expect(manager.list(S2)[0]!.state).toBe("running");
    await manager.closeAll();
    expect(port.sinks.every((s) => s.stopped)).toBe(true);
    expect(slots.inUse).toBe(0);
    await expect(manager.start(S2, { container: "busybox1", iface: "eth0" }, "bo")).rejects.toThrow(endReasons.restarting);
  });
});

describe("RollingCaptures", () => {
  it("keeps one capture per interface and the last minute of packets, decoded", async () => {
    const port = new FakePort();
    let now = 1_000_000;
    const slots = new CaptureSlots(5);
    const rolling = new RollingCaptures(port, limits, slots, () => now);
    await rolling.ensure(S1, "busybox2", "eth0");
    await rolling.ensure(S1, "busybox2", "eth0");
    expect(port.sinks).toHaveLength(1);
    port.sinks[0]!.sink.data(record(1));
    now += ROLLING_WINDOW_MS - 1000;
    port.sinks[0]!.sink.data(record(2));
    expect(rolling.packets(S1, "busybox2", "eth0").map((p) => p.icmp?.seq)).toEqual([1, 2]);
    now += 2000;
    expect(rolling.packets(S1, "busybox2", "eth0").map((p) => p.icmp?.seq)).toEqual([2]);
    expect(rolling.packets(S2, "busybox2", "eth0")).toEqual([]);
    expect(rolling.running(S1)).toEqual([{ container: "busybox2", iface: "eth0" }]);
    await rolling.stop(S1);
    expect(port.sinks[0]!.stopped).toBe(true);
    expect(rolling.packets(S1, "busybox2", "eth0")).toEqual([]);
    expect(slots.inUse).toBe(0);
  });

  it("refuses bad names and a container the session has not, and starts again after its helper ended", async () => {
    const port = new FakePort();
    const slots = new CaptureSlots(5);
    const rolling = new RollingCaptures(port, limits, slots);
    await expect(rolling.ensure(S1, "busybox2", "../eth0")).rejects.toThrow(/interface name/);
    await expect(rolling.ensure(S1, "nope", "eth0")).rejects.toThrow(/nope/);
    expect(slots.inUse).toBe(0);
    await rolling.ensure(S1, "busybox2", "eth0");
    port.sinks[0]!.sink.ended("the captured container stopped");
    expect(rolling.running(S1)).toEqual([]);
    expect(slots.inUse).toBe(0);
    await rolling.ensure(S1, "busybox2", "eth0");
    expect(port.sinks).toHaveLength(2);
  });

  it("asks only for what checks read, and a flood ends its helper: the interface rests, is refused in words, then watched again", async () => {
    const port = new FakePort();
    let now = 1_000_000;
    const slots = new CaptureSlots(5);
    const rolling = new RollingCaptures(port, limits, slots, () => now, 10_000);
    await rolling.ensure(S1, "busybox2", "eth0");
    expect(port.sinks[0]!.target).toMatchObject({ filter: ROLLING_FILTER, snaplen: 512 });
    const flood = Buffer.concat(Array.from({ length: 2 * limits.CAPTURE_MAX_PPS + 50 }, (_, i) => record(i + 1)));
    port.sinks[0]!.sink.data(flood);
    expect(port.sinks[0]!.stopped).toBe(true);
    expect(slots.inUse).toBe(0);
    // Nothing more of that helper is read.
    port.sinks[0]!.sink.data(record(9999));
    expect(rolling.packets(S1, "busybox2", "eth0").some((p) => p.icmp?.seq === 9999)).toBe(false);
    await expect(rolling.ensure(S1, "busybox2", "eth0")).rejects.toThrow(rollingWords.tooMuchTraffic("busybox2", "eth0"));
    await expect(rolling.ensure(S1, "busybox2", "eth0")).rejects.toBeInstanceOf(RollingBusy);
    now += 10_001;
    await rolling.ensure(S1, "busybox2", "eth0");
    expect(port.sinks).toHaveLength(2);
    expect(slots.inUse).toBe(1);
    await rolling.stop(S1);
    expect(slots.inUse).toBe(0);
  });

  it("restarts by itself after its rest", async () => {
    const port = new FakePort();
    const slots = new CaptureSlots(5);
    const rolling = new RollingCaptures(port, limits, slots, Date.now, 50);
    await rolling.ensure(S1, "busybox2", "eth0");
    port.sinks[0]!.sink.data(Buffer.concat(Array.from({ length: 2 * limits.CAPTURE_MAX_PPS + 50 }, (_, i) => record(i + 1))));
    await eventually("a new helper after the rest", () => port.sinks.length === 2);
    expect(slots.inUse).toBe(1);
    await rolling.closeAll();
    expect(slots.inUse).toBe(0);
  });

  it("has its own bound, refused in words", async () => {
    const port = new FakePort();
    const slots = new CaptureSlots(1);
    const rolling = new RollingCaptures(port, limits, slots);
    await rolling.ensure(S1, "busybox2", "eth0");
    await expect(rolling.ensure(S1, "busybox1", "eth0")).rejects.toThrow(rollingWords.noRoom("busybox1", "eth0", 1));
    expect(rolling.running(S1)).toEqual([{ container: "busybox2", iface: "eth0" }]);
  });
});
