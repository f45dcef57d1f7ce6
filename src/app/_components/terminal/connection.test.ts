import { describe, expect, it } from "vitest";
import { MAX_TERMINAL_SIZE } from "~/protocol/terminalProtocol";
import { retryAfterRefusal, sharedSize } from "./connection";

describe("retryAfterRefusal", () => {
  it("waits out the gateway's limits, and retries at once with a fresh token", () => {
    expect(retryAfterRefusal("rate-limited")).toBe(3000);
    expect(retryAfterRefusal("limit")).toBe(5000);
    expect(retryAfterRefusal("expired")).toBe(0);
  });

  it("gives up on refusals that waiting cannot fix", () => {
    for (const reason of [undefined, "forbidden", "not-ready", ""]) expect(retryAfterRefusal(reason)).toBeNull();
  });
});

describe("sharedSize", () => {
  it("asks for the window's size while it fits", () => {
    expect(sharedSize(80, 24)).toEqual({ cols: 80, rows: 24 });
  });

  it("caps a huge window at the largest shared size", () => {
    expect(sharedSize(900, 24)).toEqual({ cols: MAX_TERMINAL_SIZE.cols, rows: 24 });
    expect(sharedSize(80, 400)).toEqual({ cols: 80, rows: MAX_TERMINAL_SIZE.rows });
  });
});
