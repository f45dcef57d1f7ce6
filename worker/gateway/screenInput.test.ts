import headless from "@xterm/headless";
import { describe, expect, it } from "vitest";
import { clampCount, guardParser, nextPiece, weights } from "./screenInput";

const w = weights({ cols: 80, rows: 24 });

function terminal(cols = 80, rows = 24) {
  return new headless.Terminal({ cols, rows, scrollback: 100, allowProposedApi: true, logLevel: "off" });
}
function lines(t: headless.Terminal): string[] {
  const buffer = t.buffer.active;
  return Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? "");
}
async function render(data: string, guarded: boolean, cols = 80, rows = 24) {
  const t = terminal(cols, rows);
  const counts = { clamped: 0, dropped: 0 };
  if (guarded) guardParser(t, (kind) => counts[kind]++);
  // Written in 7-character chunks: sequences split across writes.
  for (let i = 0; i < data.length; i += 7) t.write(data.slice(i, i + 7));
  await new Promise<void>((resolve) => t.write("", resolve));
  const result = { lines: lines(t), cursor: [t.buffer.active.cursorX, t.buffer.active.cursorY], counts };
  t.dispose();
  return result;
}

const filled = Array.from({ length: 30 }, (_, i) => `line ${i} ${"abcdefghij".repeat(5)}`).join("\r\n");

describe("clampCount", () => {
  it("cuts a count at the limit and leaves smaller ones (and the default, 0) alone", () => {
    expect(clampCount(999, 24)).toBe(24);
    expect(clampCount(24, 24)).toBe(24);
    expect(clampCount(3, 24)).toBe(3);
    expect(clampCount(0, 24)).toBe(0);
    expect(clampCount(2 ** 31 - 1, 80)).toBe(80);
  });
});

describe("guardParser", () => {
  it("leaves ordinary output exactly as an unguarded screen renders it", async () => {
    const ordinary =
      filled +
      "\x1b[5;20r\x1b[10H\x1b[3S\x1b[2T\x1b[4L\x1b[2M\x1b[r\x1b[1;31mred\x1b[0m \x1b[3@ins\x1b[2P\x1b[5X" +
      "\x1b[12;1H=\x1b[20b\x1b[H\x1b[2I\x1b[Z\x1b[4 @\x1b[2 A\x1b[3'}\x1b[2'~\x1b]0;title\x07é字👍\r\n$ ";
    const [raw, guarded] = await Promise.all([render(ordinary, false), render(ordinary, true)]);
    expect(guarded.lines).toEqual(raw.lines);
    expect(guarded.cursor).toEqual(raw.cursor);
    expect(guarded.counts).toEqual({ clamped: 0, dropped: 0 });
  });

  it("renders an oversized count as the screen-sized one, in both CSI forms and split across writes", async () => {
    for (const [big, fit] of [
      ["\x1b[999S", "\x1b[24S"],
      ["\u009b999T", "\x1b[24T"],
      ["\x1b[5H\x1b[999L", "\x1b[5H\x1b[24L"],
      ["\x1b[5H\x1b[9\n99M", "\x1b[5H\x1b[2\n4M"], // a control inside a sequence is executed, the sequence goes on
      ["\x1b[3;5H\x1b[999@\x1b[999P\x1b[999X", "\x1b[3;5H\x1b[80@\x1b[80P\x1b[80X"],
      ["\x1b[999 @\x1b[999 A", "\x1b[80 @\x1b[80 A"],
    ]) {
      const [clamped, reference] = await Promise.all([render(filled + big!, true), render(filled + fit!, false)]);
      expect(clamped.lines, JSON.stringify(big)).toEqual(reference.lines);
      expect(clamped.cursor).toEqual(reference.cursor);
      expect(clamped.counts.clamped).toBeGreaterThan(0);
    }
  });

  it("cuts REP at one line and drops DECALN", async () => {
    const rep = await render("\x1b[Hx\x1b[65535b", true);
    expect(rep.lines.slice(0, 3)).toEqual(["x".repeat(80), "x", ""]); // the x and 80 repeats
    const decaln = await render("before\x1b#8after", true);
    expect(decaln.lines[0]).toBe("beforeafter");
    expect(decaln.counts).toEqual({ clamped: 0, dropped: 1 });
  });

  it("makes the worst sequences cheap: 2,000 each of CSI 999 S and REP 65535 at 80×24 in well under 3 s", () => {
    const t = terminal();
    guardParser(t, () => {});
    const core = (t as unknown as { _core: { writeSync(d: string): void } })._core;
    const started = performance.now();
    core.writeSync("\x1b[999S".repeat(2000) + "x\x1b[65535b".repeat(2000)); // unguarded: ~18 s and ~29 s
    expect(performance.now() - started).toBeLessThan(3000);
    t.dispose();
  });
});

describe("nextPiece", () => {
  it("takes printed characters up to the budget, at least one", () => {
    expect(nextPiece("hello world", 0, 5, w)).toEqual({ end: 5, units: 5 });
    expect(nextPiece("hello world", 6, 100, w)).toEqual({ end: 11, units: 5 });
    expect(nextPiece("hello", 0, 0, w)).toEqual({ end: 1, units: 1 });
    expect(nextPiece("hello", 0, 0, w, false)).toEqual({ end: 0, units: 0 });
  });

  it("counts cheap sequences by length, line feeds and line operations more", () => {
    const sgr = "\x1b[1;31mred\x1b[0m";
    expect(nextPiece(sgr, 0, 10_000, w)).toEqual({ end: sgr.length, units: sgr.length });
    expect(nextPiece("a\nb", 0, 10_000, w).units).toBe(2 + w.line);
    expect(nextPiece("\x1b[2K", 0, 10_000, w).units).toBe(4 + w.lineOp);
  });

  it("gives anything else with an escape (or a C1 control) a piece of its own, at a whole screen's cost", () => {
    for (const seq of ["\x1b[999S", "\u009b999S", "\x1b#8", "\x1b[2J", "\x1b[?1049h", "\x1bc", "\x1b[4h", "\x1b"]) {
      expect(nextPiece(`ab${seq}cd`, 0, 10_000, w), JSON.stringify(seq)).toEqual({ end: 2, units: 2 });
      expect(nextPiece(`ab${seq}cd`, 2, 10_000, w), JSON.stringify(seq)).toEqual({ end: 3, units: w.screen });
    }
  });

  it("weighs printed characters by the line in insert mode", () => {
    expect(nextPiece("abcd", 0, 10_000, weights({ cols: 480, rows: 24 }, true)).units).toBe(4 * 31);
  });
});
