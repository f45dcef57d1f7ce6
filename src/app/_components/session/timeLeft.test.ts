import { describe, expect, it } from "vitest";
import { formatTimeLeft, isNearlyOver, WARNING_TEXT, warningToSay } from "./timeLeft";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const inMs = (ms: number) => new Date(NOW + ms);
const MIN = 60_000;

describe("formatTimeLeft", () => {
  it("says minutes under an hour, hours and minutes above, and when it is over", () => {
    expect(formatTimeLeft(inMs(42 * MIN + 30_000), NOW)).toBe("42 min left");
    expect(formatTimeLeft(inMs(MIN), NOW)).toBe("1 min left");
    expect(formatTimeLeft(inMs(59_999), NOW)).toBe("less than a minute left");
    expect(formatTimeLeft(inMs(65 * MIN), NOW)).toBe("1 h 5 min left");
    expect(formatTimeLeft(inMs(120 * MIN), NOW)).toBe("2 h left");
    expect(formatTimeLeft(inMs(0), NOW)).toBe("time is up");
    expect(formatTimeLeft(inMs(-5 * MIN), NOW)).toBe("time is up");
  });
});

describe("the 5-minute warning", () => {
  it("is due in the last 5 minutes only, not before and not after the end", () => {
    expect(isNearlyOver(inMs(5 * MIN + 1), NOW)).toBe(false);
    expect(isNearlyOver(inMs(5 * MIN), NOW)).toBe(true);
    expect(isNearlyOver(inMs(1), NOW)).toBe(true);
    expect(isNearlyOver(inMs(0), NOW)).toBe(false);
  });

  it("is said once per expiry, and again after an extension brings the end near again", () => {
    const end = inMs(4 * MIN);
    expect(warningToSay(end, NOW, null)).toBe(WARNING_TEXT);
    expect(warningToSay(end, NOW, end.getTime())).toBeUndefined();
    expect(warningToSay(inMs(20 * MIN), NOW, end.getTime())).toBeUndefined();
    const extended = inMs(3 * MIN);
    expect(warningToSay(extended, NOW, end.getTime())).toBe(WARNING_TEXT);
  });
});
