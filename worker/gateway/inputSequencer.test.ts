import { describe, expect, it } from "vitest";
import { InputSequencer } from "./inputSequencer";

describe("InputSequencer", () => {
  it("applies each sequence number once, in order, per client", () => {
    const seq = new InputSequencer();
    expect(seq.accept("a", "u", 1)).toBe("apply");
    expect(seq.accept("a", "u", 1)).toBe("duplicate");
    expect(seq.accept("a", "u", 3)).toBe("gap");
    expect(seq.accept("a", "u", 2)).toBe("apply");
    expect(seq.accept("b", "u", 1)).toBe("apply");
    expect(seq.lastApplied("a")).toBe(2);
    expect(seq.lastApplied("c")).toBe(0);
  });

  it("takes a new or forgotten client's first number as its start", () => {
    const seq = new InputSequencer();
    expect(seq.accept("late", "u", 7)).toBe("apply");
    expect(seq.accept("late", "u", 7)).toBe("duplicate");
    expect(seq.accept("late", "u", 8)).toBe("apply");
  });

  it("forgets the least recently used client that is not connected, a user's own keys first", () => {
    const live = new Set(["owner"]);
    const seq = new InputSequencer(3, 2, (key) => live.has(key));
    seq.accept("owner", "o", 1);
    seq.accept("a1", "a", 1);
    seq.accept("b1", "b", 1);
    seq.accept("b2", "b", 1); // over capacity: the oldest not connected (a1) goes, never the owner
    expect([seq.lastApplied("owner"), seq.lastApplied("a1"), seq.lastApplied("b1"), seq.lastApplied("b2")]).toEqual([1, 0, 1, 1]);
    seq.accept("b3", "b", 1); // b has more than 2: its own oldest goes
    expect([seq.lastApplied("owner"), seq.lastApplied("b1"), seq.lastApplied("b2"), seq.lastApplied("b3")]).toEqual([1, 0, 1, 1]);
  });
});
