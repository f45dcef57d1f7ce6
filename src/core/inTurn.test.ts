import { describe, expect, it } from "vitest";
import { inTurn } from "./inTurn";

describe("inTurn", () => {
  it("runs each call's work after the previous one settled, in arrival order, failures included", async () => {
    const turn = inTurn();
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    const work =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        most = Math.max(most, running);
        seen.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(`end ${name}`);
        running -= 1;
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([turn(work("a")), turn(work("b", true)), turn(work("c"))]);
    expect(most).toBe(1);
    expect(seen).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      "a",
      "b failed",
      "c",
    ]);
  });

  it("two turn-takers do not wait for each other", async () => {
    const [one, two] = [inTurn(), inTurn()];
    let release!: () => void;
    const held = one(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(two(async () => "free")).resolves.toBe("free");
    release();
    await held;
  });
});
