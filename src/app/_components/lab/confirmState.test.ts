import { describe, expect, it } from "vitest";
import { CLOSED, confirmReducer, isOpen, type ConfirmAction, type ConfirmState } from "./confirmState";

const run = (...actions: ConfirmAction[]): ConfirmState => actions.reduce(confirmReducer, CLOSED);

describe("confirmReducer", () => {
  it("asking opens the dialog; cancelling closes it without running anything", () => {
    expect(isOpen(run())).toBe(false);
    expect(run({ type: "ask" })).toEqual({ phase: "asking" });
    expect(isOpen(run({ type: "ask" }))).toBe(true);
    expect(run({ type: "ask" }, { type: "cancel" })).toEqual(CLOSED);
  });

  it("confirming runs the action; its success closes the dialog", () => {
    expect(run({ type: "ask" }, { type: "confirm" })).toEqual({ phase: "working" });
    expect(run({ type: "ask" }, { type: "confirm" }, { type: "done" })).toEqual(CLOSED);
  });

  it("a failure stays open with its message, and may be confirmed again or cancelled", () => {
    const failed = run({ type: "ask" }, { type: "confirm" }, { type: "fail", message: "the server is away" });
    expect(failed).toEqual({ phase: "failed", message: "the server is away" });
    expect(confirmReducer(failed, { type: "confirm" })).toEqual({ phase: "working" });
    expect(confirmReducer(failed, { type: "cancel" })).toEqual(CLOSED);
  });

  it("Esc while the action runs does not hide it; a confirm without asking does nothing", () => {
    expect(run({ type: "ask" }, { type: "confirm" }, { type: "cancel" })).toEqual({ phase: "working" });
    expect(run({ type: "confirm" })).toEqual(CLOSED);
    expect(run({ type: "done" })).toEqual(CLOSED);
    expect(run({ type: "ask" }, { type: "ask" })).toEqual({ phase: "asking" });
  });
});
