import { describe, expect, it } from "vitest";
import { sortableTime } from "./containerView";

describe("sortableTime", () => {
  it("orders engine timestamps whose trimmed fractions would sort wrongly as text", () => {
    const times = [
      "2026-11-28T14:36:04.123456789Z",
      "2026-11-28T14:36:04.12345Z",
      "2026-11-28T14:36:04Z",
      "2026-11-28T14:36:03.9Z",
    ];
    expect([...times].sort((a, b) => sortableTime(a).localeCompare(sortableTime(b)))).toEqual([
      "2026-11-28T14:36:03.9Z",
      "2026-11-28T14:36:04Z",
      "2026-11-28T14:36:04.12345Z",
      "2026-11-28T14:36:04.123456789Z",
    ]);
  });

  it("reads an offset as the same instant in UTC", () => {
    expect(sortableTime("2026-11-28T15:36:04.5+01:00")).toBe(sortableTime("2026-11-28T14:36:04.500Z"));
  });
});
