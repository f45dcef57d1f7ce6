import { describe, expect, it } from "vitest";
import { parseDisplayName } from "./displayName";

describe("parseDisplayName", () => {
  it("trims and folds spaces", () => {
    expect(parseDisplayName("  Ada   Lovelace ")).toEqual({ ok: true, name: "Ada Lovelace" });
    expect(parseDisplayName("Zoë Ø'Brien-李")).toEqual({ ok: true, name: "Zoë Ø'Brien-李" });
  });

  it("refuses too short, too long, control and invisible characters, and non-strings, saying what is accepted", () => {
    for (const bad of ["", " a ", "x".repeat(41), "ab\u0000cd", "ab\u202ecd", "a\u200bb", "tab\tin\u0007", 42, null]) {
      const result = parseDisplayName(bad);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/2 to 40 printable characters/);
    }
    expect(parseDisplayName("x".repeat(40)).ok).toBe(true);
  });

  it("refuses the names the server gives guests (guest-…, member-…), in any case", () => {
    for (const bad of ["guest-amber-otter-k3f", " Guest-x", "MEMBER-calm-owl-2ab"]) {
      const result = parseDisplayName(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/cannot start with guest- or member-/);
    }
    expect(parseDisplayName("Guest speaker").ok).toBe(true);
  });
});
