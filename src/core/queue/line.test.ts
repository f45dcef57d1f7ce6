import { describe, expect, it } from "vitest";
import { estimateMinutes, FREED_WINDOW_MINUTES, placeInLine } from "./line";

describe("estimateMinutes", () => {
  it("says no estimate when nothing freed lately and fewer sessions run than are ahead", () => {
    expect(estimateMinutes(1, { freedRecently: 0, expiriesMinutes: [] })).toBeNull();
    expect(estimateMinutes(3, { freedRecently: 0, expiriesMinutes: [10, 20] })).toBeNull();
  });

  it("uses the rate at which places freed: position / rate", () => {
    // 5 places in 15 minutes: one every 3 minutes; the 4th in line waits about 12.
    expect(estimateMinutes(4, { freedRecently: 5, expiriesMinutes: [] })).toBe((4 * FREED_WINDOW_MINUTES) / 5);
  });

  it("uses when the running sessions' time ends: the position-th soonest, when that is sooner", () => {
    expect(estimateMinutes(2, { freedRecently: 1, expiriesMinutes: [3, 7.2, 40] })).toBe(8);
    expect(estimateMinutes(1, { freedRecently: 30, expiriesMinutes: [25] })).toBe(1);
  });

  it("is a whole number of minutes, at least 1", () => {
    expect(estimateMinutes(1, { freedRecently: 0, expiriesMinutes: [0] })).toBe(1);
    expect(estimateMinutes(1, { freedRecently: 0, expiriesMinutes: [2.01] })).toBe(3);
  });
});

describe("placeInLine", () => {
  it("is 1 + the sessions ahead, with its estimate; undefined when not in line", () => {
    const snapshot = { order: ["a", "b", "c"], freedRecently: 3, expiriesMinutes: [] };
    expect(placeInLine(snapshot, "a")).toEqual({ position: 1, estimateMinutes: 5 });
    expect(placeInLine(snapshot, "c")).toEqual({ position: 3, estimateMinutes: 15 });
    expect(placeInLine(snapshot, "z")).toBeUndefined();
  });
});
