import { describe, expect, it } from "vitest";
import { exitLine } from "./exitLine";

describe("exitLine", () => {
  it("offers a new shell when the gateway does, and only says why otherwise", () => {
    expect(exitLine({ reason: "shell exited", reopen: true })).toBe("shell exited — press Enter for a new one");
    expect(exitLine({ reason: "container busybox1 was removed; its terminal is closed", reopen: false })).toBe(
      "container busybox1 was removed; its terminal is closed",
    );
  });

  it("says the lab host is restarting and that it reconnects by itself (no Enter needed)", () => {
    expect(exitLine({ reason: "the lab host is restarting", reopen: true, resume: true })).toBe(
      "Lab host restarting — reconnecting…",
    );
  });
});
