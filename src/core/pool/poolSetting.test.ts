import { describe, expect, it } from "vitest";
import { checkPoolLabs, parsePoolSizes, sessionPoolSchema } from "./poolSetting";

describe("SESSION_POOL", () => {
  it("reads slug=size pairs, spaces allowed; empty means no pool", () => {
    expect([...parsePoolSizes("bridge-basics=2, dns = 1,none=0")]).toEqual([
      ["bridge-basics", 2],
      ["dns", 1],
      ["none", 0],
    ]);
    expect(parsePoolSizes("").size).toBe(0);
    expect(parsePoolSizes(" , ").size).toBe(0);
    expect(sessionPoolSchema.parse(undefined).size).toBe(0);
  });

  it("refuses what is not slug=size, sizes above 50 and a lab named twice, in one line each", () => {
    expect(() => parsePoolSizes("bridge-basics")).toThrow(
      '"bridge-basics" is not slug=size: write each lab\'s pool as slug=size, e.g. bridge-basics=2,dns=1',
    );
    expect(() => parsePoolSizes("dns=-1")).toThrow('"dns=-1" is not slug=size');
    expect(() => parsePoolSizes("dns=1.5")).toThrow('"dns=1.5" is not slug=size');
    expect(() => parsePoolSizes("dns=51")).toThrow('"dns=51": a pool\'s size must be from 0 to 50');
    expect(() => parsePoolSizes("dns=1,dns=2")).toThrow('"dns" is named twice');
    const parsed = sessionPoolSchema.safeParse("Bridge=1");
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'SESSION_POOL: "Bridge=1" is not slug=size: write each lab\'s pool as slug=size, e.g. bridge-basics=2,dns=1',
    );
  });

  it("names a slug that is not a lab, with the labs there are", () => {
    expect(() => checkPoolLabs(parsePoolSizes("dns=1,nope=2"), ["bridge-basics", "dns"])).toThrow(
      'SESSION_POOL names "nope", which is not a lab. Labs: bridge-basics, dns.',
    );
    expect(() => checkPoolLabs(parsePoolSizes("dns=1"), ["bridge-basics", "dns"])).not.toThrow();
  });
});
