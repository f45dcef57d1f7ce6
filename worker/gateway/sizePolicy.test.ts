import { describe, expect, it } from "vitest";
import { sharedSize } from "./sizePolicy";

describe("sharedSize", () => {
  it("is the smallest of the drivers' sizes; viewers do not count", () => {
    const current = { cols: 80, rows: 24 };
    expect(
      sharedSize(
        [
          { size: { cols: 120, rows: 40 }, drives: true },
          { size: { cols: 100, rows: 50 }, drives: true },
          { size: { cols: 20, rows: 5 }, drives: false },
        ],
        current,
      ),
    ).toEqual({ cols: 100, rows: 40 });
    expect(sharedSize([{ size: { cols: 20, rows: 5 }, drives: false }], current)).toBe(current);
  });
});
