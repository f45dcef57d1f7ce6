import { describe, expect, it } from "vitest";
import { engineViewOf } from "./engineView";
import { newSessionParams, paramsOfSession } from "./sessionParams";

describe("session params (LabSession.params)", () => {
  it("are fresh for each session and read back as written", () => {
    const a = newSessionParams();
    expect(a.token).toMatch(/^[0-9a-f]{8}$/);
    expect(newSessionParams().token).not.toBe(a.token);
    expect(paramsOfSession({ id: "s1", params: a })).toEqual(a);
  });

  it("fail, naming the session, when missing or malformed (no shared fallback token)", () => {
    expect(() => paramsOfSession({ id: "s1", params: null })).toThrow(
      /^session s1 has malformed params \(none\): .*expected object/s,
    );
    expect(() => paramsOfSession({ id: "s2", params: { token: "wireroom" } })).toThrow(
      /^session s2 has malformed params \(\{"token":"wireroom"\}\): .*8 hex digits/s,
    );
  });

  it("keep the constant token of sessions from before per-session params (their set-up wrote it)", () => {
    expect(paramsOfSession({ id: "old", params: { token: "netlab" } })).toEqual({ token: "netlab" });
  });
});

describe("engine view (LabSession.engineView)", () => {
  const view = {
    networks: [{ id: "0123456789ab", name: "bridge", driver: "bridge", scope: "local" }],
    drivers: ["bridge", "overlay"],
  };

  it("reads back as written, and as null before the session was READY", () => {
    expect(engineViewOf({ id: "s1", engineView: view })).toEqual(view);
    expect(engineViewOf({ id: "s1", engineView: null })).toBeNull();
  });

  it("fails, naming the session, when malformed", () => {
    expect(() => engineViewOf({ id: "s3", engineView: { networks: [{ name: "x" }] } })).toThrow(
      /^session s3 has a malformed engineView: /,
    );
  });
});
