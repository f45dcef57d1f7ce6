import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("CSV cells", () => {
  it("leave plain values as they are", () => {
    expect(csvCell("Ada Lovelace")).toBe("Ada Lovelace");
    expect(csvCell(6)).toBe("6");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });

  it("quote commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("Lovelace, Ada")).toBe('"Lovelace, Ada"');
    expect(csvCell('the "bridge" lab')).toBe('"the ""bridge"" lab"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("keep values that a spreadsheet would run as formulas as text", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell("a=1")).toBe("a=1");
  });

  it("end every record with CRLF", () => {
    expect(
      toCsv([
        ["class", "learner"],
        ["Nets, 101", "=cmd"],
      ]),
    ).toBe('class,learner\r\n"Nets, 101",\'=cmd\r\n');
  });
});
