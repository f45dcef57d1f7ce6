import { describe, expect, it } from "vitest";
import { formatJoinCode, JOIN_CODE_ALPHABET, newJoinCode, normaliseJoinCode } from "./joinCode";

describe("join codes", () => {
  it("are 10 characters of Crockford base32, different each time", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newJoinCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(normaliseJoinCode(code)).toBe(code);
    }
    expect(JOIN_CODE_ALPHABET).toHaveLength(32);
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it("are shown as XXXXX-XXXXX and read back in any case, with dashes and spaces ignored", () => {
    expect(formatJoinCode("ABCDE12345")).toBe("ABCDE-12345");
    expect(normaliseJoinCode("abcde-12345")).toBe("ABCDE12345");
    expect(normaliseJoinCode(" ab cde 123 45 ")).toBe("ABCDE12345");
    expect(normaliseJoinCode("0o1il-ABCDE")).toBe("00111ABCDE");
  });

  it("refuse what cannot be a code", () => {
    expect(normaliseJoinCode("")).toBeUndefined();
    expect(normaliseJoinCode("ABCDE-1234")).toBeUndefined();
    expect(normaliseJoinCode("ABCDE-123456")).toBeUndefined();
    expect(normaliseJoinCode("ABCDU-12345")).toBeUndefined();
    expect(normaliseJoinCode("ABCDE_12345")).toBeUndefined();
  });
});
