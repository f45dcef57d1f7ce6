import { describe, expect, it } from "vitest";
import { JoinLimiter } from "./joinLimiter";

const limits = { windowMs: 60_000, perUser: 3, perAddress: 5, platform: 7 };

function limiter() {
  let now = 1_000_000;
  const l = new JoinLimiter(limits, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

describe("join attempts", () => {
  it("refuse a user after their failures fill the window, and say when to try again", () => {
    const { l, advance } = limiter();
    const me = { userId: "u1", address: "10.0.0.1" };
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterSeconds(me)).toBe(0);
      l.recordFailure(me);
      advance(10_000);
    }
    // Failures at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(l.retryAfterSeconds(me)).toBe(30);
    expect(l.retryAfterSeconds({ userId: "u2", address: "10.0.0.1" })).toBe(0);
    advance(30_000);
    expect(l.retryAfterSeconds(me)).toBe(0);
  });

  it("count every user behind one address", () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) l.recordFailure({ userId: `u${i}`, address: "10.0.0.9" });
    expect(l.retryAfterSeconds({ userId: "fresh", address: "10.0.0.9" })).toBe(60);
    expect(l.retryAfterSeconds({ userId: "fresh", address: "10.0.0.10" })).toBe(0);
  });

  it("share one platform-wide bucket when no trusted address is known, which holds back only users who failed themselves", () => {
    const { l } = limiter();
    for (let i = 0; i < 7; i++) l.recordFailure({ userId: `u${i}` });
    expect(l.retryAfterSeconds({ userId: "u0" })).toBe(60);
    // Strangers' wrong codes never lock out a learner's first attempt ...
    expect(l.retryAfterSeconds({ userId: "fresh" })).toBe(0);
    // ... but once that learner has a failure of their own, the full bucket holds them too.
    l.recordFailure({ userId: "fresh" });
    expect(l.retryAfterSeconds({ userId: "fresh" })).toBe(60);
    // Someone whose address a proxy names is counted by it instead.
    expect(l.retryAfterSeconds({ userId: "fresh", address: "10.0.0.1" })).toBe(0);
  });
});
