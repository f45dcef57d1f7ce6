import { describe, expect, it } from "vitest";
import type { TerminalError } from "~/protocol/terminalProtocol";
import { ClientGuard, clientLimits } from "./clientGuard";

describe("ClientGuard", () => {
  it("limits each kind of event on its own bucket, and reports input refusals a few times, then once a second", () => {
    let t = 0;
    const errors: TerminalError[] = [];
    const guard = new ClientGuard(
      (error) => errors.push(error),
      () => t,
    );
    const resizes = Array.from({ length: 5000 }, () => guard.allow("resize")).filter(Boolean).length;
    expect(resizes).toBe(2 * clientLimits.resizesPerSecond);
    expect(errors).toEqual([]); // resizes are dropped quietly: the last one is kept by the caller
    expect(guard.allow("ack")).toBe(true); // another bucket
    const inputs = Array.from({ length: 5000 }, () => guard.allow("input")).filter(Boolean).length;
    expect(inputs).toBe(2 * clientLimits.inputMessagesPerSecond);
    expect(errors).toHaveLength(clientLimits.errorBurst);
    expect(errors[0]).toEqual({ code: "rate-limited", message: "too many keystroke messages too fast; slow down" });
    t = 1000;
    for (let i = 0; i < 1000; i++) guard.allow("other");
    expect(errors.length).toBe(clientLimits.errorBurst + 1);
  });

  it("tells how many input bytes may reach the shell, and counts what was spent", () => {
    let t = 0;
    const guard = new ClientGuard(
      () => {},
      () => t,
    );
    const burst = 2 * clientLimits.inputBytesPerSecond;
    expect(guard.inputBytesAvailable()).toBe(burst);
    guard.spendInputBytes(burst);
    expect(guard.inputBytesAvailable()).toBe(0);
    t = 500;
    expect(guard.inputBytesAvailable()).toBe(clientLimits.inputBytesPerSecond / 2);
  });
});
