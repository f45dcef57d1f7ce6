import { describe, expect, it } from "vitest";
import { ConnectLimiter, connectLimits } from "./connectLimiter";

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
