import { describe, expect, it } from "vitest";
import { clientIdSchema } from "~/core/sessions/terminalToken";
import { resolveClientId } from "./clientId";

const secret = "unit-test-secret-0123456789abcdef0123";

describe("resolveClientId", () => {
  it("issues a well-formed id when the tab has none, and keeps it when the same user sends it back", () => {
    const issued = resolveClientId(secret, "user-a");
    expect(clientIdSchema.safeParse(issued).success).toBe(true);
    expect(resolveClientId(secret, "user-a", issued)).toBe(issued);
    expect(resolveClientId(secret, "user-a")).not.toBe(issued);
  });

  it("replaces an id bound to another user, a malformed or tampered one, or one made with another secret", () => {
    const alices = resolveClientId(secret, "user-a");
    const tampered = alices.slice(0, -1) + (alices.endsWith("A") ? "B" : "A");
    for (const sent of [
      alices,
      tampered,
      "x".repeat(44),
      "not a client id",
      "",
      resolveClientId("another-secret-0123456789abcdef0123", "user-b"),
    ]) {
      const resolved = resolveClientId(secret, "user-b", sent);
      expect(resolved).not.toBe(sent);
      expect(resolveClientId(secret, "user-b", resolved)).toBe(resolved);
    }
  });
});
