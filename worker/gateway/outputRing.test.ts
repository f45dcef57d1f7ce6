import { describe, expect, it } from "vitest";
import { OutputRing } from "./outputRing";

describe("OutputRing", () => {
  it("returns exactly what came after an offset while it is kept", () => {
    const ring = new OutputRing(10);
    ring.append("abc");
    ring.append("defg");
    expect(ring.since(0)).toBe("abcdefg");
    expect(ring.since(2)).toBe("cdefg");
    expect(ring.since(7)).toBe("");
    ring.append("hijklmn");
    expect(ring.end).toBe(14);
    expect(ring.since(0)).toBeUndefined(); // dropped: the caller sends a snapshot instead
    expect(ring.since(9)).toBe("jklmn");
    expect(ring.since(99)).toBeUndefined();
  });
});

describe("OutputRing: allocated as output comes", () => {
  it("holds nothing before output and what was written after, up to its capacity", () => {
    const ring = new OutputRing(256 * 1024);
    expect(ring.retained).toBe(0);
    ring.append("/ # ");
    expect(ring.retained).toBe(4);
    for (let i = 0; i < 100; i++) ring.append("x".repeat(10_000));
    expect(ring.retained).toBeLessThan(256 * 1024 + 10_000);
    expect(ring.retained).toBeGreaterThanOrEqual(256 * 1024 - 10_000);
  });
});
