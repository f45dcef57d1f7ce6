// The hex and ASCII dump of a packet's bytes, as Wireshark's bytes pane shows it: 16 bytes a line,
// the offset in hex, the bytes in two groups of 8, then the printable ASCII (others as ".").

export type HexLine = { offset: string; hex: string; ascii: string };

export function hexLines(data: Uint8Array): HexLine[] {
  const lines: HexLine[] = [];
  for (let at = 0; at < data.length; at += 16) {
    const row = data.subarray(at, at + 16);
    const bytes = Array.from(row, (b) => b.toString(16).padStart(2, "0"));
    const hex = `${bytes.slice(0, 8).join(" ")}  ${bytes.slice(8).join(" ")}`.trimEnd();
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push({ offset: at.toString(16).padStart(4, "0"), hex: hex.padEnd(16 * 3, " "), ascii });
  }
  return lines;
}

/** The whole dump as text (one line per 16 bytes). */
export function hexDump(data: Uint8Array): string {
  return hexLines(data)
    .map((l) => `${l.offset}  ${l.hex} ${l.ascii}`)
    .join("\n");
}
