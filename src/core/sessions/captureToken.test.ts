import { describe, expect, it } from "vitest";
import { signCaptureToken, verifyCaptureToken } from "./captureToken";
import { signTerminalToken, verifyTerminalToken } from "./terminalToken";

const secret = "x".repeat(40);
const claims = { sub: "user-1", sid: "6f1c1a52-9a57-4c1e-9b0e-2f1f3c9d7a10", role: "viewer" as const, handle: "ana" };

describe("capture tokens", () => {
  it("round-trips their claims", async () => {
    expect(await verifyCaptureToken(secret, await signCaptureToken(secret, claims))).toEqual(claims);
  });

  it("are not terminal tokens, and terminal tokens are not capture tokens", async () => {
    const capture = await signCaptureToken(secret, claims);
    await expect(verifyTerminalToken(secret, capture)).rejects.toMatchObject({ reason: "invalid" });
    const terminal = await signTerminalToken(secret, { ...claims, terminal: "busybox1", cid: "c".repeat(16) });
    await expect(verifyCaptureToken(secret, terminal)).rejects.toThrow(/another audience/);
  });

  it("refuse a missing, expired or foreign-signed token with a reason", async () => {
    await expect(verifyCaptureToken(secret, undefined)).rejects.toMatchObject({ reason: "missing" });
    await expect(verifyCaptureToken(secret, await signCaptureToken(secret, claims, -5))).rejects.toMatchObject({
      reason: "expired",
    });
    await expect(verifyCaptureToken(secret, await signCaptureToken("y".repeat(40), claims))).rejects.toMatchObject({
      reason: "invalid",
    });
  });
});
