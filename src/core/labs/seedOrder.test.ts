import { describe, expect, it } from "vitest";
import { inSeedOrder } from "./seedOrder";

const lab = (slug: string, covers: string[], steps = 1) => ({ slug, covers, steps: Array.from({ length: steps }, () => ({}) as never) });

describe("the seed's order", () => {
  it("lists lessons by their first observation (S10 after S9, not after S1), ties by the last; reviews, then playgrounds, last", () => {
    const labs = [
      lab("playground", [], 0),
      lab("whole", Array.from({ length: 12 }, (_, i) => `S${i + 1}`)),
      lab("mynet", ["S10", "S11"]),
      lab("joined", ["S9"]),
      lab("bridge", ["S1", "S2", "S5"]),
      lab("dns", ["S3", "S4"]),
      lab("intro", ["S1"]),
      lab("untagged", []),
    ];
    expect(inSeedOrder(labs).map((l) => l.slug)).toEqual(["intro", "bridge", "dns", "joined", "mynet", "untagged", "whole", "playground"]);
    expect(labs[0]!.slug).toBe("playground"); // a new array: the catalog's own is untouched
  });
});
