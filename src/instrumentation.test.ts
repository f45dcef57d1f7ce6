import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "./instrumentation";

const valid = {
  NEXT_RUNTIME: "nodejs",
  DATABASE_URL: "postgresql://u:p@localhost/db",
  TERMINAL_TOKEN_SECRET: "t".repeat(32),
  BETTER_AUTH_SECRET: "b".repeat(32),
};

afterEach(() => vi.unstubAllEnvs());

describe("the web's boot (instrumentation register)", () => {
  it("stops the server when a setting is wrong, naming it (no database needed to find out)", async () => {
    for (const [name, value] of Object.entries({ ...valid, LABS_DIR: "/nonexistent/wireroom-labs" })) vi.stubEnv(name, value);
    await expect(register()).rejects.toThrow(/LABS_DIR: LABS_DIR does not exist: \/nonexistent\/wireroom-labs/);
  });

  it("accepts valid settings", async () => {
    for (const [name, value] of Object.entries(valid)) vi.stubEnv(name, value);
    await expect(register()).resolves.toBeUndefined();
  });
});
