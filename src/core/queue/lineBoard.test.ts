import { describe, expect, it } from "vitest";
import { LineBoard } from "./lineBoard";
import type { LineSnapshot } from "./line";

const snapshot = (order: string[]): LineSnapshot => ({ order, freedRecently: 0, expiriesMinutes: [] });

describe("LineBoard", () => {
  it("reads the line once per change, however many pages ask", async () => {
    let line = ["a", "b", "c"];
    const board = new LineBoard(async () => snapshot(line));
    const first = await Promise.all(Array.from({ length: 50 }, () => board.snapshot()));
    expect(board.reads).toBe(1);
    expect(first.every((s) => s.order.join() === "a,b,c")).toBe(true);
    line = ["b", "c"];
    // Unchanged: the same answer, no read.
    expect((await board.snapshot()).order).toEqual(["a", "b", "c"]);
    board.changed();
    const second = await Promise.all(Array.from({ length: 50 }, () => board.snapshot()));
    expect(board.reads).toBe(2);
    expect(second.every((s) => s.order.join() === "b,c")).toBe(true);
  });

  it("does not keep a failed read: the next caller reads again", async () => {
    let fail = true;
    const board = new LineBoard(async () => {
      if (fail) throw new Error("database gone");
      return snapshot(["a"]);
    });
    await expect(board.snapshot()).rejects.toThrow("database gone");
    fail = false;
    expect((await board.snapshot()).order).toEqual(["a"]);
    expect(board.reads).toBe(2);
  });
});
