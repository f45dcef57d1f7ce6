import { describe, expect, it } from "vitest";
import { nestsWithin } from "./jsonDepth";

const nested = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + "1" + "}".repeat(depth));

describe("nestsWithin", () => {
  it("accepts scalars and bodies up to the limit, refuses deeper ones", () => {
    expect(nestsWithin(1, 0)).toBe(true);
    expect(nestsWithin(nested(3), 3)).toBe(true);
    expect(nestsWithin(nested(4), 3)).toBe(false);
    expect(nestsWithin({ HostConfig: { Dns: ["8.8.8.8"] } }, 3)).toBe(true);
    expect(nestsWithin([[[[]]]], 3)).toBe(false);
  });

  it("walks a body nested ten thousand deep without overflowing the stack", () => {
    expect(nestsWithin(nested(10_000), 32)).toBe(false);
  });
});
