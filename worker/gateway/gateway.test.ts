import { describe, expect, it } from "vitest";
import { ClientGuard, clientLimits } from "./clientGuard";
import { ConnectLimiter, connectLimits } from "./connectLimiter";
import { FlowControl } from "./flowControl";
import { InputSequencer } from "./inputSequencer";
import { OutputRing } from "./outputRing";
import { TokenBucket } from "./rateLimit";
import { sharedSize } from "./sizePolicy";

describe("FlowControl", () => {
  const limits = { high: 100, low: 20, viewerLimit: 500 };

  it("pauses above the high watermark of the slowest driver and resumes below the low one", () => {
    const flow = new FlowControl(limits);
    flow.add("d1", { offset: 0, backpressure: true });
    flow.add("d2", { offset: 0, backpressure: true });
    flow.sent("d1", 150);
    flow.sent("d2", 150);
    flow.acked("d1", 150);
    expect(flow.shouldPause()).toBe(true); // d2 is 150 behind
    flow.acked("d2", 100);
    expect(flow.shouldPause()).toBe(true); // 50: between the watermarks, still paused
    flow.acked("d2", 140);
    expect(flow.shouldPause()).toBe(false);
  });

  it("never pauses for a viewer; a lagging viewer is cut off and resynced once caught up", () => {
    const flow = new FlowControl(limits);
    flow.add("v", { offset: 0, backpressure: false });
    flow.sent("v", 400);
    expect(flow.canSend("v")).toBe(true);
    flow.sent("v", 600);
    expect(flow.shouldPause()).toBe(false);
    expect(flow.canSend("v")).toBe(false);
    expect(flow.acked("v", 300)).toBe("ok");
    expect(flow.acked("v", 600)).toBe("resync");
    expect(flow.canSend("v")).toBe(true);
  });

  it("ignores acknowledgements beyond what was sent", () => {
    const flow = new FlowControl(limits);
    flow.add("d", { offset: 10, backpressure: true });
    flow.sent("d", 50);
    flow.acked("d", 1_000_000);
    expect(flow.backlog("d")).toBe(0);
    flow.sent("d", 60);
    expect(flow.backlog("d")).toBe(10);
  });
});

describe("InputSequencer", () => {
  it("applies each sequence number once, in order, per client", () => {
    const seq = new InputSequencer();
    expect(seq.accept("a", "u", 1)).toBe("apply");
    expect(seq.accept("a", "u", 1)).toBe("duplicate");
    expect(seq.accept("a", "u", 3)).toBe("gap");
    expect(seq.accept("a", "u", 2)).toBe("apply");
    expect(seq.accept("b", "u", 1)).toBe("apply");
    expect(seq.lastApplied("a")).toBe(2);
    expect(seq.lastApplied("c")).toBe(0);
  });

  it("takes a new or forgotten client's first number as its start", () => {
    const seq = new InputSequencer();
    expect(seq.accept("late", "u", 7)).toBe("apply");
    expect(seq.accept("late", "u", 7)).toBe("duplicate");
    expect(seq.accept("late", "u", 8)).toBe("apply");
  });

  it("forgets the least recently used client that is not connected, a user's own keys first", () => {
    const live = new Set(["owner"]);
    const seq = new InputSequencer(3, 2, (key) => live.has(key));
    seq.accept("owner", "o", 1);
    seq.accept("a1", "a", 1);
    seq.accept("b1", "b", 1);
    seq.accept("b2", "b", 1); // over capacity: the oldest not connected (a1) goes, never the owner
    expect([seq.lastApplied("owner"), seq.lastApplied("a1"), seq.lastApplied("b1"), seq.lastApplied("b2")]).toEqual([1, 0, 1, 1]);
    seq.accept("b3", "b", 1); // b has more than 2: its own oldest goes
    expect([seq.lastApplied("owner"), seq.lastApplied("b1"), seq.lastApplied("b2"), seq.lastApplied("b3")]).toEqual([1, 0, 1, 1]);
  });
});

describe("ClientGuard", () => {
  it("limits each kind of event on its own bucket, and reports input refusals a few times, then once a second", () => {
    let t = 0;
    const errors: string[] = [];
    const guard = new ClientGuard((code) => errors.push(code), () => t);
    const resizes = Array.from({ length: 5000 }, () => guard.allow("resize")).filter(Boolean).length;
    expect(resizes).toBe(2 * clientLimits.resizesPerSecond);
    expect(errors).toEqual([]); // resizes are dropped quietly: the last one is kept by the caller
    expect(guard.allow("ack")).toBe(true); // another bucket
    for (let i = 0; i < 1000; i++) guard.allowBytes(1024);
    expect(errors.length).toBe(clientLimits.errorBurst);
    t = 1000;
    for (let i = 0; i < 1000; i++) guard.allow("other");
    expect(errors.length).toBe(clientLimits.errorBurst + 1);
  });
});

describe("ConnectLimiter", () => {
  it("lets a user open a terminal a burst of times, then one every few seconds, per terminal", () => {
    let t = 0;
    const limiter = new ConnectLimiter(() => t);
    const first = Array.from({ length: 50 }, () => limiter.allow("u", "s", "busybox1")).filter(Boolean).length;
    expect(first).toBe(connectLimits.burst);
    expect(limiter.allow("u", "s", "busybox2")).toBe(true);
    expect(limiter.allow("v", "s", "busybox1")).toBe(true);
    t = 2000 / connectLimits.perSecond / 2; // one token back
    expect(limiter.allow("u", "s", "busybox1")).toBe(true);
    expect(limiter.allow("u", "s", "busybox1")).toBe(false);
  });
});

describe("OutputRing", () => {
  it("returns exactly what came after an offset while it is kept", () => {
    const ring = new OutputRing(10);
    ring.append("abc");
    ring.append("defg");
    expect(ring.since(0)).toBe("abcdefg");
    expect(ring.since(2)).toBe("cdefg");
    expect(ring.since(7)).toBe("");
    ring.append("hijklmn");
    expect(ring.end).toBe(14);
    expect(ring.since(0)).toBeUndefined(); // dropped: the caller sends a snapshot instead
    expect(ring.since(9)).toBe("jklmn");
    expect(ring.since(99)).toBeUndefined();
  });
});

describe("sharedSize", () => {
  it("is the smallest of the drivers' sizes; viewers do not count", () => {
    const current = { cols: 80, rows: 24 };
    expect(
      sharedSize(
        [
          { size: { cols: 120, rows: 40 }, drives: true },
          { size: { cols: 100, rows: 50 }, drives: true },
          { size: { cols: 20, rows: 5 }, drives: false },
        ],
        current,
      ),
    ).toEqual({ cols: 100, rows: 40 });
    expect(sharedSize([{ size: { cols: 20, rows: 5 }, drives: false }], current)).toBe(current);
  });
});

describe("TokenBucket", () => {
  it("allows bursts up to its size and refills at its rate", () => {
    let t = 0;
    const bucket = new TokenBucket(10, 5, () => t);
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.take(1))).toEqual([true, true, true, true, true, false]);
    t = 500; // half a second: 5 tokens back
    expect(bucket.take(5)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });
});
