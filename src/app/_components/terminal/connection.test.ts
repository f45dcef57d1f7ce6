import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_TERMINAL_SIZE } from "~/protocol/terminalProtocol";
import {
  refusedForGood,
  RESUME,
  RESUME_GAVE_UP,
  resumeDelay,
  ResumeLoop,
  retryAfterRefusal,
  sharedSize,
  type ResumeOutcome,
} from "./connection";

describe("retryAfterRefusal", () => {
  it("waits out the gateway's limits, and retries at once with a fresh token", () => {
    expect(retryAfterRefusal("rate-limited")).toBe(3000);
    expect(retryAfterRefusal("limit")).toBe(5000);
    expect(retryAfterRefusal("expired")).toBe(0);
  });

  it("gives up on refusals that waiting cannot fix", () => {
    for (const reason of [undefined, "forbidden", "not-ready", ""]) expect(retryAfterRefusal(reason)).toBeNull();
  });
});

describe("sharedSize", () => {
  it("asks for the window's size while it fits", () => {
    expect(sharedSize(80, 24)).toEqual({ cols: 80, rows: 24 });
  });

  it("caps a huge window at the largest shared size", () => {
    expect(sharedSize(900, 24)).toEqual({ cols: MAX_TERMINAL_SIZE.cols, rows: 24 });
    expect(sharedSize(80, 400)).toEqual({ cols: 80, rows: MAX_TERMINAL_SIZE.rows });
  });
});

describe("resumeDelay", () => {
  it("backs off 1, 2, 4, 8 s, then every 10 s", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => resumeDelay(attempt, 0))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it("stops once the next attempt would be more than 5 minutes after the host went away", () => {
    expect(resumeDelay(10, RESUME.forMs - 10_000)).toBe(10_000);
    expect(resumeDelay(10, RESUME.forMs - 9_999)).toBeNull();
    expect(resumeDelay(0, RESUME.forMs)).toBeNull();
  });
});

describe("refusedForGood", () => {
  it("gives up on the web's refusals (the session stopped, no access)", () => {
    expect(refusedForGood({ data: { httpStatus: 409 } })).toBe(true);
    expect(refusedForGood({ data: { httpStatus: 404 } })).toBe(true);
  });

  it("tries again when the web did not answer, failed, or asked to slow down", () => {
    for (const error of [new Error("Failed to fetch"), { data: { httpStatus: 500 } }, { data: { httpStatus: 429 } }, null])
      expect(refusedForGood(error)).toBe(false);
  });
});

describe("ResumeLoop", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function loop(outcomes: (ResumeOutcome | Error)[]) {
    const triedAt: number[] = [];
    const results: unknown[] = [];
    const start = Date.now();
    const resumer = new ResumeLoop(
      async () => {
        triedAt.push(Date.now() - start);
        const next = outcomes.shift() ?? { resumed: false };
        if (next instanceof Error) throw next;
        return next;
      },
      (result) => results.push(result),
    );
    return { resumer, triedAt, results };
  }

  it("tries after 1, 2, 4 s … until an attempt resumes, then stops", async () => {
    const { resumer, triedAt, results } = loop([
      { resumed: false },
      new Error("Failed to fetch"),
      { resumed: false },
      { resumed: true },
    ]);
    resumer.start();
    resumer.start(); // one loop at a time
    await vi.advanceTimersByTimeAsync(60_000);
    expect(triedAt).toEqual([1000, 3000, 7000, 15_000]);
    expect(results).toEqual([{ resumed: true }]);
    expect(resumer.active).toBe(false);
  });

  it("gives up at once when an attempt says waiting cannot help", async () => {
    const { resumer, triedAt, results } = loop([
      { resumed: false },
      { resumed: false, giveUp: "the lab is failed, not running" },
    ]);
    resumer.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(triedAt).toEqual([1000, 3000]);
    expect(results).toEqual([{ resumed: false, reason: "the lab is failed, not running" }]);
  });

  it("gives up after 5 minutes of a host that does not come back", async () => {
    const { resumer, triedAt, results } = loop([]);
    resumer.start();
    await vi.advanceTimersByTimeAsync(RESUME.forMs + 60_000);
    expect(triedAt.at(-1)).toBeLessThanOrEqual(RESUME.forMs);
    expect(triedAt).toHaveLength(4 + Math.floor((RESUME.forMs - 15_000) / 10_000));
    expect(results).toEqual([{ resumed: false, reason: RESUME_GAVE_UP }]);
  });

  it("stop() ends the loop: no attempt after it, nothing reported", async () => {
    const { resumer, triedAt, results } = loop([]);
    resumer.start();
    await vi.advanceTimersByTimeAsync(1500);
    resumer.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(triedAt).toEqual([1000]);
    expect(results).toEqual([]);
  });
});
