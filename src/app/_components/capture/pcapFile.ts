// A classic libpcap file (https://wiki.wireshark.org/Development/LibpcapFileFormat) built in the
// browser from the packets a capture sent: the 24-byte global header (little-endian magic
// 0xa1b2c3d4, version 2.4, microsecond timestamps, link type 1 = Ethernet), then one 16-byte
// record header (seconds, microseconds, captured length, original length) and the bytes per packet.

/** What a record needs of a received packet: its time (µs since the epoch), its length on the wire, its bytes. */
export type PcapPacket = { ts: number; len: number; data: Uint8Array };

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** The .pcap bytes; `snaplen` is the capture's (the longest `data` when larger). */
export function pcapFile(packets: readonly PcapPacket[], snaplen = 1500): Uint8Array {
  const size = packets.reduce((n, p) => n + RECORD_HEADER + p.data.length, GLOBAL_HEADER);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const longest = packets.reduce((n, p) => Math.max(n, p.data.length), 0);
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, Math.max(snaplen, longest), true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  let at = GLOBAL_HEADER;
  for (const p of packets) {
    const ts = Math.max(0, Math.floor(p.ts));
    view.setUint32(at, Math.floor(ts / 1e6), true);
    view.setUint32(at + 4, ts % 1e6, true);
    view.setUint32(at + 8, p.data.length, true);
    view.setUint32(at + 12, Math.max(p.len, p.data.length), true);
    out.set(p.data, at + RECORD_HEADER);
    at += RECORD_HEADER + p.data.length;
  }
  return out;
}

/** A file name for a capture's download: `capture-busybox2-eth0-20261129T044512Z.pcap`. */
export function pcapFileName(container: string, iface: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, "_");
  return `capture-${safe(container)}-${safe(iface)}-${stamp}.pcap`;
}
