import { describe, expect, it } from "vitest";
import { selectedTerminal, tabChanges } from "./terminalTabs";

describe("terminal tabs", () => {
  const tabs = ["host", "busybox1", "mine"];

  it("keeps the chosen tab while it exists, else the lab's default, else the session host", () => {
    expect(selectedTerminal("mine", "busybox1", tabs)).toBe("mine");
    expect(selectedTerminal(null, "busybox1", tabs)).toBe("busybox1");
    expect(selectedTerminal("gone", "busybox1", tabs)).toBe("host");
    expect(selectedTerminal(null, "busybox9", tabs)).toBe("host");
    expect(selectedTerminal("x", "busybox1", [])).toBe("x");
  });

  it("announces containers that came and went, and nothing on the first list", () => {
    expect(tabChanges([], tabs)).toBe("");
    expect(tabChanges(tabs, tabs)).toBe("");
    expect(tabChanges(["host", "busybox1"], tabs)).toBe("mine added");
    expect(tabChanges(tabs, ["host", "mine", "b2"])).toBe("b2 added, busybox1 removed");
  });
});
