import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { labsDir, parseEnv, platformCapsSchema, sharedEnvSchema } from "./settings";

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("parseEnv", () => {
  it("names every missing setting and says what to set", () => {
    expect(() => parseEnv(sharedEnvSchema, env({}))).toThrow(
      /DATABASE_URL: DATABASE_URL is not set[\s\S]*TERMINAL_TOKEN_SECRET: TERMINAL_TOKEN_SECRET is not set/,
    );
  });

  it("explains a malformed value", () => {
    expect(() => parseEnv(sharedEnvSchema, env({ DATABASE_URL: "mysql://x", TERMINAL_TOKEN_SECRET: "short" }))).toThrow(
      /DATABASE_URL must be a postgresql:\/\/ URL[\s\S]*at least 32 characters/,
    );
  });

  it("accepts a valid configuration, with the labs folder beside the repository's root by default", () => {
    const valid = { DATABASE_URL: "postgresql://u:p@localhost/db", TERMINAL_TOKEN_SECRET: "s".repeat(32) };
    expect(parseEnv(sharedEnvSchema, env(valid))).toEqual({ ...valid, LABS_DIR: path.resolve("labs") });
  });
});

describe("LABS_DIR", () => {
  const shared = { DATABASE_URL: "postgresql://u:p@localhost/db", TERMINAL_TOKEN_SECRET: "s".repeat(32) };

  it("refuses a folder that does not exist, naming LABS_DIR, the path and what is accepted", () => {
    const missing = path.join(os.tmpdir(), "wireroom-no-such-labs-folder");
    expect(() => parseEnv(sharedEnvSchema, env({ ...shared, LABS_DIR: missing }))).toThrow(
      `LABS_DIR: LABS_DIR does not exist: ${missing}. Set it to a folder of labs (<slug>/lab.yaml), or leave it unset for ./labs`,
    );
    expect(() => labsDir(env({ LABS_DIR: missing }))).toThrow(/LABS_DIR does not exist/);
  });

  it("refuses a file and an empty value", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "wireroom-labs-")), "lab.yaml");
    writeFileSync(file, "");
    expect(() => labsDir(env({ LABS_DIR: file }))).toThrow(`LABS_DIR is a file, not a folder: ${file}`);
    expect(() => labsDir(env({ LABS_DIR: "  " }))).toThrow(/LABS_DIR is empty: set it to a folder of labs/);
  });

  it("resolves a relative folder against the working folder, and takes an absolute one as it is", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wireroom-labs-"));
    expect(labsDir(env({ LABS_DIR: dir }))).toBe(dir);
    expect(labsDir(env({ LABS_DIR: "labs" }))).toBe(path.resolve("labs"));
  });
});

describe("the line's settings", () => {
  it("default to a line of 1000 and a wait of 60 minutes; 0 is no line; a wrong value names the setting", () => {
    expect(parseEnv(platformCapsSchema, env({}))).toMatchObject({ MAX_WAITING_SESSIONS: 1000, MAX_WAIT_MINUTES: 60 });
    expect(parseEnv(platformCapsSchema, env({ MAX_WAITING_SESSIONS: "0", MAX_WAIT_MINUTES: "5" }))).toMatchObject({
      MAX_WAITING_SESSIONS: 0,
      MAX_WAIT_MINUTES: 5,
    });
    expect(() => parseEnv(platformCapsSchema, env({ MAX_WAITING_SESSIONS: "-1" }))).toThrow(
      /MAX_WAITING_SESSIONS must be a whole number of sessions from 0 to 100000/,
    );
    expect(() => parseEnv(platformCapsSchema, env({ MAX_WAIT_MINUTES: "0" }))).toThrow(
      /MAX_WAIT_MINUTES must be a whole number of minutes from 1 to 10080/,
    );
  });
});
