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
