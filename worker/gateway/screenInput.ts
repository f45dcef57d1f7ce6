// What the server's screen (headless xterm) does with output that is cheap to send and costly to
// parse. Two pure pieces and one hook:
// - `clampCount`: the counts of CSI sequences whose cost grows with their parameter (scroll,
//   insert/delete lines or characters, repeat, tabs) are cut at the screen's size: beyond it
//   nothing changes on the screen (REP is the exception: it is cut at one line, which is all
//   ncurses ever asks of it), so `CSI 999 S` at 80×24 costs what `CSI 24 S` costs.
// - `guardParser` installs that clamp in the screen's own parser (so a sequence split across
//   chunks, the C1 form of CSI or a control inside a sequence are all seen as xterm sees them) and
//   drops DECALN (ESC # 8: fill the screen with E, a test pattern no program needs).
// - `nextPiece`: the conservative cost, in units of one printed character, of the start of a text;
//   the feeder (screenFeeder.ts) cuts steps with it. Sequences it does not know to be cheap count
//   as a whole-screen operation and end the piece.
import type headless from "@xterm/headless";

export type ScreenSize = { cols: number; rows: number };

type Limit = "rows" | "cols";
/** CSI sequences whose first parameter is a repeat count, and the screen dimension that bounds it. */
export const CLAMPED: readonly { final: string; intermediates?: string; limit: Limit; name: string }[] = [
  { final: "S", limit: "rows", name: "SU" },
  { final: "T", limit: "rows", name: "SD" },
  { final: "L", limit: "rows", name: "IL" },
  { final: "M", limit: "rows", name: "DL" },
  { final: "@", limit: "cols", name: "ICH" },
  { final: "P", limit: "cols", name: "DCH" },
  { final: "X", limit: "cols", name: "ECH" },
  { final: "b", limit: "cols", name: "REP" },
  { final: "I", limit: "cols", name: "CHT" },
  { final: "Z", limit: "cols", name: "CBT" },
  { final: "@", intermediates: " ", limit: "cols", name: "SL" },
  { final: "A", intermediates: " ", limit: "cols", name: "SR" },
  { final: "}", intermediates: "'", limit: "cols", name: "DECIC" },
  { final: "~", intermediates: "'", limit: "cols", name: "DECDC" },
];

/** A count (0 means the default, 1) cut at `limit`; returns it unchanged when within. */
export function clampCount(value: number, limit: number): number {
  return value > limit ? Math.max(1, limit) : value;
}

export type GuardStats = { clamped: number; dropped: number };

/** xterm's parameter object as its parser hands it to handlers (mutable, shared with the default handler). */
type Params = { length: number; params: Int32Array };
type Core = {
  registerCsiHandler(id: { final: string; intermediates?: string }, handler: (params: Params) => boolean): { dispose(): void };
};

/**
 * Installs the clamps and the DECALN drop in `terminal`'s parser. Handlers added later run first;
 * ours adjust the parameter in place and return false, so xterm's own handler then runs with it.
 * Uses xterm's core parser API (the public one hands handlers a copy): checked at install time.
 */
export function guardParser(terminal: headless.Terminal, count: (kind: keyof GuardStats) => void) {
  const core = (terminal as unknown as { _core?: Partial<Core> })._core;
  if (typeof core?.registerCsiHandler !== "function")
    throw new Error("@xterm/headless: the core parser API changed; see screenInput.ts");
  for (const { final, intermediates, limit } of CLAMPED) {
    core.registerCsiHandler({ final, ...(intermediates ? { intermediates } : {}) }, (params) => {
      if (params.length === 0) return false;
      const bound = limit === "rows" ? terminal.rows : terminal.cols;
      const value = params.params[0]!;
      const clamped = clampCount(value, bound);
      if (clamped !== value) {
        params.params[0] = clamped;
        count("clamped");
      }
      return false;
    });
  }
  terminal.parser.registerEscHandler({ intermediates: "#", final: "8" }, () => {
    count("dropped");
    return true;
  });
}

/** Costs in units of one printed ASCII character (~0.2 µs in xterm 6 on a current core). */
export function weights(size: ScreenSize, insertMode = false) {
  return {
    /** A printed character (in insert mode every one shifts the rest of its line). */
    char: insertMode ? 1 + Math.ceil(size.cols / 16) : 1,
    /** LF, VT, FF, IND, NEL, RI: a scroll at the margin (a region's scroll moves its lines). */
    line: 30 + Math.ceil(size.rows / 2),
    /** Line-bounded CSI (erase in line, insert/delete/erase/repeat characters). */
    lineOp: size.cols,
    /** Anything else with an escape: whole-screen work (erase display, scroll, alternate screen, reset). */
    screen: size.rows * 150 + Math.ceil((size.rows * size.cols) / 4),
  };
}

export type Weights = ReturnType<typeof weights>;

// Where something other than a printed character starts: line feeds and every escape or C1 control.
const SPECIAL = /[\n\v\f\x1b\x80-\x9f]/g;
// Escape sequences known to be cheap (SGR, cursor moves, reports, charsets, save/restore, titles),
// and the line-bounded ones. Anything else starting with ESC or a C1 control is whole-screen work.
const CHEAP =
  /\x1b\[[0-9;:]{0,40}[mHfABCDEFGdea`nsu]|\x1b\[[?>=][0-9;]{0,20}c|\x1b\[[0-9;]{0,12}[ -/]?q|\x1b[78=>]|\x1b[()*+][0-9A-Za-z]|\x1b[\]\\]/y;
const LINE_OP = /\x1b\[[0-9;]{0,12}[K@PXb]/y;
const LINE_ESC = /\x1b[DEM]/y;

/**
 * The end of the piece of `text` starting at `from` whose estimated cost fits in `budget` units,
 * and that cost; with `first`, at least one item (a character or a sequence) even over budget. A
 * whole-screen sequence ends its piece, so the next piece is estimated with the state it left.
 */
export function nextPiece(text: string, from: number, budget: number, w: Weights, first = true): { end: number; units: number } {
  let units = 0;
  let at = from;
  while (at < text.length) {
    const stop = nextSpecial(text, at);
    if (stop > at) {
      // A run of printed characters (and cheap C0 controls): take what fits.
      const fit = Math.max(0, Math.floor((budget - units) / w.char));
      if (fit < stop - at) {
        const take = units === 0 && first ? Math.max(1, fit) : fit;
        return { end: at + take, units: units + take * w.char };
      }
      units += (stop - at) * w.char;
      at = stop;
      continue;
    }
    // A special at `at`.
    const { length, cost, alone } = special(text, at, w);
    if ((units > 0 || !first) && (alone || units + cost > budget)) break;
    units += cost;
    at += length;
    if (alone || units >= budget) break;
  }
  return { end: at, units };
}

/**
 * Where the next special starts at or after `at`. The last answer is kept: a long run is cut into many
 * pieces, and each would otherwise scan the rest of it again.
 */
let lastScan = { text: "", at: 0, stop: 0 };
function nextSpecial(text: string, at: number): number {
  if (lastScan.text === text && at >= lastScan.at && at <= lastScan.stop) return lastScan.stop;
  SPECIAL.lastIndex = at;
  const stop = SPECIAL.exec(text)?.index ?? text.length;
  lastScan = { text, at, stop };
  return stop;
}

function special(text: string, at: number, w: Weights): { length: number; cost: number; alone: boolean } {
  const c = text.charCodeAt(at);
  if (c === 0x0a || c === 0x0b || c === 0x0c) return { length: 1, cost: w.line, alone: false };
  if (c === 0x1b) {
    for (const [pattern, cost] of [
      [CHEAP, 0],
      [LINE_OP, w.lineOp],
      [LINE_ESC, w.line],
    ] as const) {
      pattern.lastIndex = at;
      if (pattern.test(text)) {
        const length = pattern.lastIndex - at;
        return { length, cost: cost + length, alone: false };
      }
    }
  }
  return { length: 1, cost: w.screen, alone: true };
}

/** The screen's state that decides whether output may be skipped (see `plainSkip`). */
export type SkipState = {
  cols: number;
  /** Lines of scrollback plus two screens: after that many fresh lines, nothing older is left anywhere. */
  keepLines: number;
};

// Plain output: printable ASCII (one cell each), tabs, CR and LF. No escape, no C1, no wide character.
const NOT_PLAIN = /[^\x20-\x7e\t\r\n]/g;
const NOT_PRINTABLE = /[^\x20-\x7e]/g;

/**
 * A part of a flood of plain output that cannot change what the screen ends up holding, so it
 * need not be parsed: [from, to) of `text`, with `from` ≥ `at`, or undefined. Two shapes:
 * - lines: from just after a CRLF to just after a later CRLF, with at least `keepLines` LFs of plain
 *   output after it. Both ends are at column 0, and the lines after it scroll everything the skipped
 *   part (or anything before it) wrote out of the screen and the scrollback.
 * - no line breaks: a whole number of rows of printable characters (the column is unchanged), with
 *   `keepLines` rows of them after it (autowrap scrolls them in).
 * Only valid while the parser is in its ground state, with autowrap on, insert mode off and the
 * scroll region the whole screen (the caller checks those).
 */
export function plainSkip(text: string, at: number, { cols, keepLines }: SkipState): { from: number; to: number } | undefined {
  if (text.length - at < 2 * keepLines) return undefined; // too short to hold keepLines lines
  NOT_PLAIN.lastIndex = at;
  const runEnd = NOT_PLAIN.exec(text)?.index ?? text.length;
  if (runEnd - at < 2 * keepLines) return undefined;
  // Lines: walk back keepLines LFs from the end of the run.
  let lf = runEnd;
  for (let n = 0; n < keepLines && lf > at; n++) lf = text.lastIndexOf("\n", lf - 1);
  if (lf > at) {
    const to = text.lastIndexOf("\r\n", lf - 2) + 2; // just after a CRLF before the keepLines-th LF from the end
    const from = at >= 2 && text.startsWith("\r\n", at - 2) ? at : text.indexOf("\r\n", at) + 2;
    if (to > 1 && from > 1 && from < to) return { from, to };
    return undefined;
  }
  // No line breaks (or too few): whole rows of printable characters.
  NOT_PRINTABLE.lastIndex = at;
  const printableEnd = NOT_PRINTABLE.exec(text)?.index ?? text.length;
  const rows = Math.floor((printableEnd - at) / cols) - keepLines;
  return rows > 0 ? { from: at, to: at + rows * cols } : undefined;
}
