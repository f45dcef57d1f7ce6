import { describe, expect, it } from "vitest";
import { safeNext } from "./safeNext";

describe("safeNext", () => {
  it("keeps a local path with its query and fragment", () => {
    expect(safeNext("/classes/abc?tab=1#x")).toBe("/classes/abc?tab=1#x");
    expect(safeNext("/setup")).toBe("/setup");
  });

  it("sends everything else home", () => {
    for (const bad of [
      null,
      undefined,
      "",
      "classes",
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "/\t/evil.example",
      "/sign-in",
      `/${"a".repeat(2001)}`,
    ]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
});
