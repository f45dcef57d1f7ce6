import { describe, expect, it } from "vitest";
import { parseEnv, sharedEnvSchema } from "./settings";

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("parseEnv", () => {
  it("names every missing setting and says what to set", () => {
    expect(() => parseEnv(sharedEnvSchema, env({}))).toThrow(/DATABASE_URL: DATABASE_URL is not set[\s\S]*TERMINAL_TOKEN_SECRET: TERMINAL_TOKEN_SECRET is not set/);
  });

  it("explains a malformed value", () => {
    expect(() =>
      parseEnv(sharedEnvSchema, env({ DATABASE_URL: "mysql://x", TERMINAL_TOKEN_SECRET: "short" })),
    ).toThrow(/DATABASE_URL must be a postgresql:\/\/ URL[\s\S]*at least 32 characters/);
  });

  it("accepts a valid configuration", () => {
    const valid = { DATABASE_URL: "postgresql://u:p@localhost/db", TERMINAL_TOKEN_SECRET: "s".repeat(32) };
    expect(parseEnv(sharedEnvSchema, env(valid))).toEqual(valid);
  });
});
