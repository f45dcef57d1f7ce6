import { describe, expect, it } from "vitest";
import { indexOfPacket } from "./packetIndex";
import { relativeTime } from "./packetTime";

describe("indexOfPacket", () => {
  it("finds a packet by number in a filtered list, or -1", () => {
    const list = [1, 4, 5, 9, 12].map((no) => ({ no }));
    expect(indexOfPacket(list, 1)).toBe(0);
    expect(indexOfPacket(list, 9)).toBe(3);
    expect(indexOfPacket(list, 12)).toBe(4);
    expect(indexOfPacket(list, 6)).toBe(-1);
    expect(indexOfPacket(list, null)).toBe(-1);
    expect(indexOfPacket([], 1)).toBe(-1);
  });
});

describe("relativeTime", () => {
  it("counts seconds from the first packet to the microsecond", () => {
    expect(relativeTime(1_764_391_512_000_000, 1_764_391_512_000_000)).toBe("0.000000");
    expect(relativeTime(1_764_391_513_250_001, 1_764_391_512_000_000)).toBe("1.250001");
  });
});
