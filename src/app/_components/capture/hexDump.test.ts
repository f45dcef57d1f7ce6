import { describe, expect, it } from "vitest";
import { hexDump, hexLines } from "./hexDump";

describe("hexDump", () => {
  it("shows 16 bytes a line in two groups of 8, the offset in hex, and the printable ASCII", () => {
    const data = new Uint8Array([...Array.from({ length: 16 }, (_, i) => 0x41 + i), 0x00, 0x7f, 0x20]);
    const lines = hexLines(data);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      offset: "0000",
      hex: "41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50",
      ascii: "ABCDEFGHIJKLMNOP",
    });
    expect(lines[1]!.offset).toBe("0010");
    expect(lines[1]!.hex.trimEnd()).toBe("00 7f 20");
    expect(lines[1]!.ascii).toBe(".. ");
    // Short lines are padded so the ASCII column lines up.
    expect(lines[1]!.hex.length).toBe(lines[0]!.hex.length);
    expect(hexDump(data).split("\n")[0]).toBe("0000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50 ABCDEFGHIJKLMNOP");
  });

  it("is empty for no bytes", () => {
    expect(hexLines(new Uint8Array())).toEqual([]);
  });
});
