import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rateLimit";

describe("TokenBucket", () => {
  it("allows bursts up to its size and refills at its rate", () => {
    let t = 0;
    const bucket = new TokenBucket(10, 5, () => t);
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.take(1))).toEqual([true, true, true, true, true, false]);
    t = 500; // half a second: 5 tokens back
    expect(bucket.take(5)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  it("says what could be taken without taking it, never above its burst", () => {
    let t = 0;
    const bucket = new TokenBucket(10, 5, () => t);
    expect(bucket.available()).toBe(5);
    expect(bucket.available()).toBe(5);
    bucket.take(4);
    t = 200;
    expect(bucket.available()).toBe(3);
    t = 60_000;
    expect(bucket.available()).toBe(5);
  });
});
