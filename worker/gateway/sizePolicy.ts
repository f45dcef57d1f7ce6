// A shared terminal's size is the smallest of its drivers' windows (like tmux), so every driver
// sees the whole screen. Viewers do not change it; with no driver the size stays as it was.
import type { TerminalSize } from "~/protocol/terminalProtocol";

export function sharedSize(sizes: Iterable<{ size?: TerminalSize; drives: boolean }>, current: TerminalSize): TerminalSize {
  let cols = Infinity;
  let rows = Infinity;
  for (const { size, drives } of sizes) {
    if (!drives || !size) continue;
    cols = Math.min(cols, size.cols);
    rows = Math.min(rows, size.rows);
  }
  return Number.isFinite(cols) ? { cols, rows } : current;
}
