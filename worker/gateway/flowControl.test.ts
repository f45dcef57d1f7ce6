import { describe, expect, it } from "vitest";
import { FlowControl } from "./flowControl";

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
