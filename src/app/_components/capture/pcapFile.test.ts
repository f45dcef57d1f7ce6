import { describe, expect, it } from "vitest";
import { LINKTYPE_ETHERNET, PCAP_MAGIC, pcapFile, pcapFileName } from "./pcapFile";

const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("pcapFile", () => {
  it("writes the libpcap global header: magic, version 2.4, snaplen, link type Ethernet", () => {
    const file = pcapFile([], 1500);
    expect(file.length).toBe(24);
    const v = new DataView(file.buffer);
    expect(v.getUint32(0, true)).toBe(PCAP_MAGIC);
    expect([...file.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(v.getUint16(4, true)).toBe(2);
    expect(v.getUint16(6, true)).toBe(4);
    expect(v.getUint32(16, true)).toBe(1500);
    expect(v.getUint32(20, true)).toBe(LINKTYPE_ETHERNET);
  });

  it("writes one record per packet: seconds, microseconds, captured and original lengths, then the bytes", () => {
    const packets = [
      { ts: 1_764_391_512_123_456, len: 60, data: frame(60, 0xaa) },
      { ts: 1_764_391_513_000_001, len: 2000, data: frame(1500, 0xbb) },
    ];
    const file = pcapFile(packets);
    expect(file.length).toBe(24 + 16 + 60 + 16 + 1500);
    const v = new DataView(file.buffer);
    expect(v.getUint32(24, true)).toBe(1_764_391_512);
    expect(v.getUint32(28, true)).toBe(123_456);
    expect(v.getUint32(32, true)).toBe(60);
    expect(v.getUint32(36, true)).toBe(60);
    expect(file[40]).toBe(0xaa);
    expect(file[40 + 59]).toBe(0xaa);
    const second = 40 + 60;
    expect(v.getUint32(second, true)).toBe(1_764_391_513);
    expect(v.getUint32(second + 4, true)).toBe(1);
    expect(v.getUint32(second + 8, true)).toBe(1500);
    expect(v.getUint32(second + 12, true)).toBe(2000);
    expect(file[second + 16]).toBe(0xbb);
    expect(file[file.length - 1]).toBe(0xbb);
  });

  it("raises the snaplen to the longest packet and never writes an original length below the captured one", () => {
    const file = pcapFile([{ ts: 0, len: 10, data: frame(3000, 1) }], 1500);
    const v = new DataView(file.buffer);
    expect(v.getUint32(16, true)).toBe(3000);
    expect(v.getUint32(36, true)).toBe(3000);
  });

  it("names the file after the container, the interface and the start time, without unsafe characters", () => {
    expect(pcapFileName("busybox2", "eth0", new Date("2026-11-29T04:45:12.345Z"))).toBe(
      "capture-busybox2-eth0-20261129T044512Z.pcap",
    );
    expect(pcapFileName("a/b", "e th", new Date(0))).toBe("capture-a_b-e_th-19700101T000000Z.pcap");
  });
});
