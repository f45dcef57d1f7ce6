import { describe, expect, it } from "vitest";
import { defaultPublicUrl } from "./heartbeat";

describe("defaultPublicUrl", () => {
  it("names the address the gateway listens on, or localhost when it listens on every address", () => {
    expect(defaultPublicUrl("127.0.0.1", 41234)).toBe("http://127.0.0.1:41234");
    expect(defaultPublicUrl("lab1.example.org", 3001)).toBe("http://lab1.example.org:3001");
    expect(defaultPublicUrl("0.0.0.0", 3001)).toBe("http://localhost:3001");
    expect(defaultPublicUrl("::", 3001)).toBe("http://localhost:3001");
    expect(defaultPublicUrl("::1", 3001)).toBe("http://[::1]:3001");
  });
});
