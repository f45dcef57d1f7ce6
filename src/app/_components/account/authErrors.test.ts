import { describe, expect, it } from "vitest";
import { explainAuthError } from "./authErrors";

describe("explainAuthError", () => {
  it("says what to do for each refusal better-auth names", () => {
    expect(explainAuthError({ code: "PASSWORD_TOO_SHORT", status: 400 })).toMatch(/at least 10 characters/);
    expect(explainAuthError({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" })).toMatch(/sign in instead/);
    expect(explainAuthError({ code: "INVALID_EMAIL_OR_PASSWORD" })).toMatch(/wrong/);
    expect(explainAuthError({ status: 429, code: "X" })).toMatch(/Wait a minute/);
  });

  it("keeps the server's own message otherwise (a display name's refusal), as one sentence", () => {
    expect(explainAuthError({ code: "INVALID_DISPLAY_NAME", message: "A display name is 2 to 40 printable characters." })).toBe(
      "A display name is 2 to 40 printable characters.",
    );
    expect(explainAuthError({ message: "Failed to fetch" })).toBe("Failed to fetch.");
    expect(explainAuthError({})).toMatch(/did not answer/);
  });
});
