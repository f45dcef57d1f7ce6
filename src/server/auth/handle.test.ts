import { describe, expect, it } from "vitest";
import { terminalClaimsSchema } from "~/core/sessions/terminalToken";
import { newHandle } from "./handle";

describe("newHandle", () => {
  it("makes guest handles that fit a terminal token and rarely repeat", () => {
    const handles = Array.from({ length: 1000 }, newHandle);
    for (const handle of handles) {
      expect(handle).toMatch(/^guest-[a-z]+-[a-z]+-[a-z2-9]{3}$/);
      expect(terminalClaimsSchema.shape.handle.safeParse(handle).success).toBe(true);
    }
    expect(new Set(handles).size).toBeGreaterThan(990);
  });
});
