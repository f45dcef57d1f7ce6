import { describe, expect, it } from "vitest";
import type { Presence } from "~/protocol/terminalProtocol";
import { summarizePresence } from "./presence";

const presence = (over: Partial<Presence> = {}): Presence => ({
  clients: [
    { id: "c1", handle: "ada", role: "driver" },
    { id: "c2", handle: "bob", role: "viewer" },
  ],
  lastTypist: null,
  size: { cols: 80, rows: 24 },
  lockedBy: null,
  ...over,
});

describe("summarizePresence", () => {
  it("counts everyone connected", () => {
    expect(summarizePresence(presence(), "c1").line).toBe("2 connected");
  });

  it("names the last typist, marking you", () => {
    const p = presence({ lastTypist: { handle: "ada", at: 1 } });
    expect(summarizePresence(p, "c1").line).toBe("2 connected · last typed by ada (you)");
    expect(summarizePresence(p, "c2").line).toBe("2 connected · last typed by ada");
  });

  it("says who has taken over", () => {
    expect(summarizePresence(presence({ lockedBy: "prof" }), null).line).toBe("2 connected · prof (instructor) has taken over");
  });

  it("lists everyone with their role, marking you", () => {
    expect(summarizePresence(presence(), "c2").detail).toBe("ada · driver\nbob (you) · viewer");
  });
});
