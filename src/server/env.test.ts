import { describe, expect, it } from "vitest";
import { parseEnv } from "~/core/settings";
import { webEnvSchema } from "./env";

const base = {
  DATABASE_URL: "postgresql://u:p@localhost/db",
  TERMINAL_TOKEN_SECRET: "s".repeat(32),
  BETTER_AUTH_SECRET: "b".repeat(32),
};
const env = (values: Record<string, string>) => ({ ...base, ...values }) as unknown as NodeJS.ProcessEnv;

describe("the web's settings", () => {
  it("caps the platform at 40 sessions and 200 containers unless told otherwise", () => {
    expect(parseEnv(webEnvSchema, env({}))).toMatchObject({ MAX_ACTIVE_SESSIONS: 40, MAX_ACTIVE_CONTAINERS: 200 });
    expect(parseEnv(webEnvSchema, env({ MAX_ACTIVE_SESSIONS: "6", MAX_ACTIVE_CONTAINERS: "14" }))).toMatchObject({
      MAX_ACTIVE_SESSIONS: 6,
      MAX_ACTIVE_CONTAINERS: 14,
    });
  });

  it("names a malformed cap and what is accepted", () => {
    expect(() => parseEnv(webEnvSchema, env({ MAX_ACTIVE_SESSIONS: "0" }))).toThrow(
      /MAX_ACTIVE_SESSIONS: MAX_ACTIVE_SESSIONS must be a whole number of sessions from 1 to 10000/,
    );
    expect(() => parseEnv(webEnvSchema, env({ MAX_ACTIVE_CONTAINERS: "lots" }))).toThrow(
      /MAX_ACTIVE_CONTAINERS must be a whole number of containers from 2 to 100000/,
    );
  });

  it("believes no client address header unless the operator names the one their proxy sets", () => {
    expect(parseEnv(webEnvSchema, env({})).TRUSTED_CLIENT_IP_HEADER).toBeUndefined();
    expect(parseEnv(webEnvSchema, env({ TRUSTED_CLIENT_IP_HEADER: "" })).TRUSTED_CLIENT_IP_HEADER).toBeUndefined();
    expect(parseEnv(webEnvSchema, env({ TRUSTED_CLIENT_IP_HEADER: " X-Real-IP " })).TRUSTED_CLIENT_IP_HEADER).toBe("x-real-ip");
    expect(() => parseEnv(webEnvSchema, env({ TRUSTED_CLIENT_IP_HEADER: "x-real-ip, x-forwarded-for" }))).toThrow(
      /TRUSTED_CLIENT_IP_HEADER: TRUSTED_CLIENT_IP_HEADER must be one header name, such as x-real-ip/,
    );
  });

  it("checks LABS_DIR at start: a missing folder is named with what is accepted", () => {
    expect(parseEnv(webEnvSchema, env({})).LABS_DIR).toMatch(/\/labs$/);
    expect(() => parseEnv(webEnvSchema, env({ LABS_DIR: "/nonexistent/wireroom-labs" }))).toThrow(
      "LABS_DIR: LABS_DIR does not exist: /nonexistent/wireroom-labs. Set it to a folder of labs (<slug>/lab.yaml), or leave it unset for ./labs",
    );
  });
});
