import { describe, expect, it } from "vitest";
import { MAX_EXECS, rememberExec } from "./exec";

describe("rememberExec", () => {
  it("keeps the newest ids up to the bound and forgets the oldest", () => {
    const execs = new Set<string>();
    for (let i = 0; i < 5; i++) rememberExec(execs, `e${i}`, 3);
    expect([...execs]).toEqual(["e2", "e3", "e4"]);
  });

  it("a create loop leaves at most MAX_EXECS ids", () => {
    const execs = new Set<string>();
    for (let i = 0; i < MAX_EXECS + 500; i++) rememberExec(execs, `e${i}`);
    expect(execs.size).toBe(MAX_EXECS);
    expect(execs.has(`e${MAX_EXECS + 499}`)).toBe(true);
    expect(execs.has("e0")).toBe(false);
  });
});
