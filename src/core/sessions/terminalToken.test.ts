import { describe, expect, it } from "vitest";
import { signTerminalToken, TerminalTokenError, verifyTerminalToken } from "./terminalToken";

const secret = "unit-test-secret-0123456789abcdef0123";
const claims = {
  sub: "user-1",
  sid: "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11",
  terminal: "busybox1",
  role: "driver" as const,
  cid: "tab-0123456789abcdef",
  handle: "guest-amber-otter",
};

async function rejection(token: unknown, key = secret) {
  const error = await verifyTerminalToken(key, token).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TerminalTokenError);
  return error as TerminalTokenError;
}

describe("terminal tokens", () => {
  it("round-trip the claims they were signed with", async () => {
    expect(await verifyTerminalToken(secret, await signTerminalToken(secret, claims))).toEqual(claims);
  });

  it("reject a missing token", async () => {
    expect((await rejection(undefined)).reason).toBe("missing");
    expect((await rejection("")).reason).toBe("missing");
  });

  it("reject an expired token with a reason that says so", async () => {
    const error = await rejection(await signTerminalToken(secret, claims, -5));
    expect(error.reason).toBe("expired");
    expect(error.message).toMatch(/expired/);
  });

  it("reject a token signed with another secret, or tampered with", async () => {
    expect((await rejection(await signTerminalToken("another-secret-0123456789abcdef0123", claims))).reason).toBe("invalid");
    const [header, , signature] = (await signTerminalToken(secret, claims)).split(".");
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, sid: "00000000-0000-4000-8000-000000000000" })).toString(
      "base64url",
    );
    expect((await rejection(`${header}.${forgedBody}.${signature}`)).reason).toBe("invalid");
    expect((await rejection("not-a-jwt")).reason).toBe("invalid");
  });

  it("refuse to sign claims outside the schema", async () => {
    await expect(signTerminalToken(secret, { ...claims, terminal: "../etc" })).rejects.toThrow(/container name/);
  });
});
