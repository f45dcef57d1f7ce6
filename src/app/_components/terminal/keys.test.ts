import { describe, expect, it } from "vitest";
import { decideKey, type KeyPress } from "./keys";

const key = (k: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  type: "keydown",
  key: k,
  code: k.length === 1 ? `Key${k.toUpperCase()}` : k,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...extra,
});

/** Runs presses in order from a fresh terminal; returns each action. */
function press(...keys: KeyPress[]) {
  let leaving = false;
  return keys.map((k) => {
    const d = decideKey(k, leaving, false);
    leaving = d.leaving;
    return d.action;
  });
}

describe("decideKey: clipboard", () => {
  it("copies with Ctrl+Shift+C only when something is selected", () => {
    const ctrlShiftC = key("C", { code: "KeyC", ctrlKey: true, shiftKey: true });
    expect(decideKey(ctrlShiftC, false, true).action).toBe("copy");
    expect(decideKey(ctrlShiftC, false, false).action).toBe("terminal");
  });

  it("pastes with Ctrl+Shift+V", () => {
    expect(decideKey(key("V", { code: "KeyV", ctrlKey: true, shiftKey: true }), false, false).action).toBe("paste");
  });

  it("leaves Ctrl+C and Ctrl+V to the shell (interrupt, literal next)", () => {
    expect(decideKey(key("c", { ctrlKey: true }), false, true).action).toBe("terminal");
    expect(decideKey(key("v", { ctrlKey: true }), false, true).action).toBe("terminal");
  });

  it("acts on keydown only (xterm asks again on keypress and keyup)", () => {
    const up = key("V", { type: "keyup", code: "KeyV", ctrlKey: true, shiftKey: true });
    expect(decideKey(up, false, false).action).toBe("terminal");
  });
});

describe("decideKey: leaving the terminal by keyboard", () => {
  it("keeps a plain Tab in the shell (completion)", () => {
    expect(press(key("Tab"))).toEqual(["terminal"]);
    expect(press(key("l"), key("Tab"))).toEqual(["terminal", "terminal"]);
  });

  it("leaves on Escape then Tab, and still sends the Escape to the shell", () => {
    expect(press(key("Escape"), key("Tab"))).toEqual(["terminal", "leave"]);
  });

  it("leaves backwards on Escape then Shift+Tab, pressing Shift in between", () => {
    expect(press(key("Escape"), key("Shift", { shiftKey: true }), key("Tab", { shiftKey: true }))).toEqual([
      "terminal",
      "terminal",
      "leave",
    ]);
  });

  it("ignores key releases between Escape and Tab", () => {
    expect(press(key("Escape"), key("Escape", { type: "keyup" }), key("Tab"))).toEqual(["terminal", "terminal", "leave"]);
  });

  it("forgets the Escape after any other key, so vi users keep their Tabs", () => {
    expect(press(key("Escape"), key("i"), key("Tab"))).toEqual(["terminal", "terminal", "terminal"]);
  });

  it("leaves once: the next Tab after coming back completes again", () => {
    expect(press(key("Escape"), key("Tab"), key("Tab"))).toEqual(["terminal", "leave", "terminal"]);
  });

  it("does not treat Ctrl+Tab or Alt+Tab after Escape as leaving", () => {
    expect(press(key("Escape"), key("Tab", { ctrlKey: true }))).toEqual(["terminal", "terminal"]);
    expect(press(key("Escape"), key("Tab", { altKey: true }))).toEqual(["terminal", "terminal"]);
  });
});
