import { describe, expect, it } from "vitest";
import { errorText } from "./errorText";

describe("errorText", () => {
  it("says an input's first zod message, else the error's message", () => {
    expect(
      errorText({ message: "[{...}]", data: { zodError: { formErrors: [], fieldErrors: { token: ["The setup token is…"] } } } }),
    ).toBe("The setup token is…");
    expect(errorText({ message: "This setup token has been used.", data: { zodError: null } })).toBe(
      "This setup token has been used.",
    );
    expect(errorText(null)).toBeNull();
  });
});
