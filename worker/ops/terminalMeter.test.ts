import { describe, expect, it } from "vitest";
import { terminalBytes } from "~/core/metrics/definitions";
import { ECHO_SAMPLE, TerminalMeter } from "./terminalMeter";

const bytes = async (direction: "in" | "out") =>
  (await terminalBytes.get()).values.find((v) => v.labels.direction === direction)?.value ?? 0;

function meter() {
  let now = 10_000;
  const samples: number[] = [];
  const m = new TerminalMeter(
    (seconds) => samples.push(seconds),
    () => now,
  );
  return { m, samples, advance: (ms: number) => (now += ms) };
}

describe("TerminalMeter", () => {
  it("samples input written → the shell's next output, at most one per second", () => {
    const { m, samples, advance } = meter();
    m.typed("l");
    advance(3);
    m.printed(1);
    expect(samples).toEqual([0.003]);
    // Within the second after a sample: keys and their echoes are not sampled.
    advance(200);
    m.typed("s");
    advance(5);
    m.printed(1);
    expect(samples).toEqual([0.003]);
    // Output with nothing typed is not an echo.
    advance(2000);
    m.printed(100);
    expect(samples).toEqual([0.003]);
    m.typed("\r");
    advance(12);
    m.printed(40);
    advance(1);
    m.printed(40);
    expect(samples).toEqual([0.003, 0.012]);
  });

  it("drops a sample whose output came too late to be an echo", () => {
    const { m, samples, advance } = meter();
    m.typed("sleep 60\r");
    advance(ECHO_SAMPLE.maxMs + 1);
    m.printed(2);
    expect(samples).toEqual([]);
    m.typed("x");
    advance(2);
    m.printed(1);
    expect(samples).toEqual([0.002]);
  });

  it("counts bytes typed (UTF-8) and printed", async () => {
    const [before, out] = [await bytes("in"), await bytes("out")];
    const { m } = meter();
    m.typed("héllo");
    m.printed(42);
    expect(await bytes("in")).toBe(before + 6);
    expect(await bytes("out")).toBe(out + 42);
  });
});
