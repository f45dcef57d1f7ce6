import { describe, expect, it } from "vitest";
import { pcapHeader, pcapRecord } from "~/protocol/pcap";
import { PcapFormatError, PcapStreamParser } from "./pcap";

const records = [
  { ts: 1_700_000_000_123_456, len: 98, data: Buffer.alloc(98, 1) },
  { ts: 1_700_000_001_000_001, len: 1514, data: Buffer.alloc(1500, 2) },
  { ts: 1_700_000_002_999_999, len: 42, data: Buffer.alloc(42, 3) },
];
const file = Buffer.concat([pcapHeader(1500), ...records.map((r) => pcapRecord(r))]);

describe("PcapStreamParser", () => {
  it("reads what pcapHeader/pcapRecord write, whole or one byte at a time", () => {
    const whole = new PcapStreamParser();
    expect(whole.push(file)).toEqual(records);
    expect(whole.header).toEqual({ littleEndian: true, nano: false, snaplen: 1500, linktype: 1 });
    const bytewise = new PcapStreamParser();
    const got = [];
    for (let i = 0; i < file.length; i++) got.push(...bytewise.push(file.subarray(i, i + 1)));
    expect(got).toEqual(records);
    expect(bytewise.buffered).toBe(0);
  });

  it("reads big-endian and nanosecond streams", () => {
    const b = Buffer.alloc(24 + 16 + 4);
    b.writeUInt32BE(0xa1b23c4d, 0);
    b.writeUInt32BE(65535, 16);
    b.writeUInt32BE(1, 20);
    b.writeUInt32BE(10, 24);
    b.writeUInt32BE(5_000_999, 28);
    b.writeUInt32BE(4, 32);
    b.writeUInt32BE(60, 36);
    const [r] = new PcapStreamParser().push(b);
    expect(r).toEqual({ ts: 10_005_000, len: 60, data: Buffer.alloc(4) });
  });

  it("refuses a stream that is not pcap, and a record longer than any snaplen", () => {
    expect(() => new PcapStreamParser().push(Buffer.from("tcpdump: eth9: No such device exists......"))).toThrow(PcapFormatError);
    const huge = Buffer.concat([pcapHeader(1500), Buffer.alloc(16)]);
    huge.writeUInt32LE(10_000_000, 24 + 8);
    expect(() => new PcapStreamParser().push(huge)).toThrow(/exceeds/);
  });
});
