import { describe, expect, it } from "vitest";
import { ActivityThrottle } from "./activity";
import { captureLogs } from "../../../test/support/logLines";

describe("ActivityThrottle", () => {
  it("writes a session's activity at most once per interval, however many keystrokes, and forgets old entries", () => {
    let now = 1_000_000;
    const writes: [string, number][] = [];
    const throttle = new ActivityThrottle(
      async (id, at) => {
        writes.push([id, at.getTime()]);
      },
      { everyMs: 15_000, now: () => now },
    );
    for (let i = 0; i < 1_000; i++) throttle.touched("s1");
    throttle.touched("s2");
    expect(writes).toEqual([
      ["s1", 1_000_000],
      ["s2", 1_000_000],
    ]);
    now += 14_999;
    throttle.touched("s1");
    expect(writes).toHaveLength(2);
    now += 1;
    throttle.touched("s1");
    expect(writes.at(-1)).toEqual(["s1", 1_015_000]);
    expect(throttle.size).toBe(1); // s2's entry was older than the interval
  });

  it("a failed write is logged (a structured error record with the session), not thrown", async () => {
    const logs = captureLogs({ quiet: true });
    try {
      const throttle = new ActivityThrottle(() => Promise.reject(new Error("db down")));
      expect(() => throttle.touched("s1")).not.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(logs.records).toEqual([
        expect.objectContaining({
          level: "error",
          component: "activity",
          sessionId: "s1",
          err: expect.objectContaining({ message: "db down" }),
        }),
      ]);
    } finally {
      logs.restore();
    }
  });
});
