// What the panel's polite live region says when the session's captures change: a capture started,
// or ended (why, and how many packets) — never each packet.
import type { CaptureInfo } from "~/protocol/terminalProtocol";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One sentence for what changed between two lists, or null when nothing worth saying did. */
export function announce(before: readonly CaptureInfo[], after: readonly CaptureInfo[]): string | null {
  const was = new Map(before.map((c) => [c.id, c]));
  const lines: string[] = [];
  for (const c of after) {
    const old = was.get(c.id);
    const where = `${c.container} ${c.iface}`;
    if (c.state === "running" && !old) lines.push(`Capture started on ${where} by ${c.startedBy}.`);
    if (c.state === "ended" && old?.state !== "ended") {
      lines.push(`Capture on ${where} ended${c.reason ? `: ${c.reason}` : ""}; ${plural(c.packets, "packet")}.`);
    }
  }
  return lines.length ? lines.join(" ") : null;
}

/** The capture's state, in words, for its status line. */
export function stateLine(c: CaptureInfo): string {
  const counts = `${plural(c.packets, "packet")}, ${formatBytes(c.bytes)}`;
  return c.state === "running" ? `Running: ${counts}` : `Ended${c.reason ? ` (${c.reason})` : ""}: ${counts}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
