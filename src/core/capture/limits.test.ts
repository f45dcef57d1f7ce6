import { describe, expect, it } from "vitest";
import { PpsMeter, recordBytes } from "./limits";
import { PacketRing } from "./ring";

describe("PpsMeter", () => {
  it("is over only when the last 2 s held more than 2 × the limit", () => {
    let now = 10_000;
    const meter = new PpsMeter(100, () => now);
    for (let i = 0; i < 200; i++) expect(meter.add()).toBe(false);
    expect(meter.add()).toBe(true);
    now += 2100; // the window moved past all of them
    expect(meter.over()).toBe(false);
    expect(meter.add()).toBe(false);
  });

  it("lets a steady rate under the limit run forever", () => {
    let now = 0;
    const meter = new PpsMeter(50, () => now);
    for (let t = 0; t < 20_000; t += 25) {
      now = t;
      expect(meter.add()).toBe(false); // 40 per second
    }
    expect(meter.rate()).toBeCloseTo(40, 0);
  });
});

describe("PacketRing", () => {
  const record = (no: number, size: number, at = 0) => ({ no, ts: no, len: size, data: Buffer.alloc(size), at });

  it("keeps at most its bytes, dropping the oldest", () => {
    const ring = new PacketRing(recordBytes(100) * 3);
    for (let i = 1; i <= 5; i++) ring.push(record(i, 100));
    expect(ring.all().map((r) => r.no)).toEqual([3, 4, 5]);
    expect(ring.bytes).toBe(recordBytes(100) * 3);
    expect(ring.fits(1)).toBe(false);
  });

  it("drops what is older than its age", () => {
    const ring = new PacketRing(1_000_000, 60_000);
    ring.push(record(1, 10, 0));
    ring.push(record(2, 10, 30_000));
    ring.push(record(3, 10, 70_000));
    ring.prune(90_001);
    expect(ring.all().map((r) => r.no)).toEqual([3]);
    expect(ring.bytes).toBe(recordBytes(10));
  });

  it("stays correct across compaction", () => {
    const ring = new PacketRing(recordBytes(1) * 10);
    for (let i = 1; i <= 5000; i++) ring.push(record(i, 1));
    expect(ring.length).toBe(10);
    expect(ring.all()[0]!.no).toBe(4991);
  });
});
