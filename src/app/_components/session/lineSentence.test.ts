import { describe, expect, it } from "vitest";
import { lineSentence } from "./lineSentence";

describe("lineSentence", () => {
  it("says the position and the estimate, and that the lab starts by itself", () => {
    expect(lineSentence({ position: 3, estimateMinutes: 12 })).toBe(
      "Every lab host is busy. You are number 3 in line — about 12 minutes. The lab starts by itself; you can leave this page open.",
    );
    expect(lineSentence({ position: 1, estimateMinutes: 1 })).toMatch(/number 1 in line — about 1 minute\. /);
  });

  it("says honestly when there is no estimate yet, or no position", () => {
    expect(lineSentence({ position: 2, estimateMinutes: null })).toMatch(/number 2 in line — no estimate yet\. /);
    expect(lineSentence(null)).toBe(
      "Every lab host is busy. You are in line for a place. The lab starts by itself; you can leave this page open.",
    );
  });
});
