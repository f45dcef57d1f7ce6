import { describe, expect, it } from "vitest";
import { FailureLimiter, waitText } from "./failureLimiter";

describe("FailureLimiter", () => {
  it("refuses a key after max failures within the window, and lets it try again once the oldest leaves", () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter({ max: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs("a")).toBe(0);
      limiter.fail("a");
      now += 1000;
    }
    expect(limiter.retryAfterMs("a")).toBe(57_000);
    expect(limiter.retryAfterMs("b")).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterMs("a")).toBe(0);
  });

  it("tells whether a key failed within the window", () => {
    let now = 0;
    const limiter = new FailureLimiter({ max: 5, windowMs: 60_000 }, () => now);
    expect(limiter.hasFailed("a")).toBe(false);
    limiter.fail("a");
    expect(limiter.hasFailed("a")).toBe(true);
    expect(limiter.hasFailed("b")).toBe(false);
    now += 60_000;
    expect(limiter.hasFailed("a")).toBe(false);
  });

  it("forgets the oldest key beyond maxKeys", () => {
    const limiter = new FailureLimiter({ max: 1, windowMs: 60_000, maxKeys: 2 }, () => 5);
    limiter.fail("a");
    limiter.fail("b");
    limiter.fail("c");
    expect(limiter.retryAfterMs("a")).toBe(0);
    expect(limiter.retryAfterMs("c")).toBeGreaterThan(0);
  });

  it("says when to try again", () => {
    expect(waitText(400)).toBe("1 second");
    expect(waitText(40_000)).toBe("40 seconds");
    expect(waitText(61_000)).toBe("2 minutes");
    expect(waitText(60_000)).toBe("1 minute");
  });
});
