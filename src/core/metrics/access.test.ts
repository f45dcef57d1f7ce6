import { describe, expect, it } from "vitest";
import { opsEnvSchema, parseEnv } from "~/core/settings";
import { metricsAllowed } from "./access";

describe("metricsAllowed", () => {
  const token = "s3cret-token-0123456789";
  it("is open when no token is set", () => {
    expect(metricsAllowed(undefined, undefined)).toBe(true);
    expect(metricsAllowed("Bearer anything", undefined)).toBe(true);
  });
  it("with a token, needs exactly Authorization: Bearer <token>", () => {
    expect(metricsAllowed(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAllowed(`bearer ${token}`, token)).toBe(true);
    expect(metricsAllowed(undefined, token)).toBe(false);
    expect(metricsAllowed("", token)).toBe(false);
    expect(metricsAllowed(token, token)).toBe(false);
    expect(metricsAllowed(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAllowed(`Basic ${token}`, token)).toBe(false);
    expect(metricsAllowed(`Bearer ${token} extra`, token)).toBe(false);
  });
});

describe("METRICS_TOKEN", () => {
  const parse = (METRICS_TOKEN?: string) => parseEnv(opsEnvSchema, { METRICS_TOKEN } as unknown as NodeJS.ProcessEnv);
  it("unset or empty leaves /metrics open; a token of 16+ printable characters is taken", () => {
    expect(parse(undefined).METRICS_TOKEN).toBeUndefined();
    expect(parse("  ").METRICS_TOKEN).toBeUndefined();
    expect(parse(" 0123456789abcdef ").METRICS_TOKEN).toBe("0123456789abcdef");
  });
  it("a short token or one with spaces is refused, saying what is accepted", () => {
    expect(() => parse("short")).toThrow("METRICS_TOKEN must be at least 16 characters (or leave it unset for an open /metrics)");
    expect(() => parse("0123456789 abcdef")).toThrow("METRICS_TOKEN may use printable ASCII characters only, no spaces");
  });
});
