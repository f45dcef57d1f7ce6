// The classic libpcap file format (https://wiki.wireshark.org/Development/LibpcapFileFormat), written
// the one way the platform writes it, browser-safe (Uint8Array, DataView): a 24-byte global header
// (little-endian magic 0xa1b2c3d4, version 2.4, microsecond timestamps, link type 1 = Ethernet), then
// per packet a 16-byte record header (seconds, microseconds, captured length, original length) and its
// bytes. The worker reads tcpdump's stream with src/core/capture/pcap.ts; the browser's download and the
// tests write with this.

export const PCAP_MAGIC = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER = 24;
export const PCAP_RECORD_HEADER = 16;

/** What a record needs of a packet: its time (µs since the epoch), its length on the wire, its bytes. */
export type PcapPacket = { ts: number; len: number; data: Uint8Array };

function writeHeader(view: DataView, snaplen: number, linktype: number) {
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, snaplen, true);
  view.setUint32(20, linktype, true);
}

function writeRecord(out: Uint8Array, view: DataView, at: number, p: PcapPacket): number {
  const ts = Math.max(0, Math.floor(p.ts));
  view.setUint32(at, Math.floor(ts / 1e6), true);
  view.setUint32(at + 4, ts % 1e6, true);
  view.setUint32(at + 8, p.data.length, true);
  view.setUint32(at + 12, Math.max(p.len, p.data.length), true);
  out.set(p.data, at + PCAP_RECORD_HEADER);
  return at + PCAP_RECORD_HEADER + p.data.length;
}

/** A global header alone (a stream's start). */
export function pcapHeader(snaplen: number, linktype = LINKTYPE_ETHERNET): Uint8Array {
  const out = new Uint8Array(PCAP_GLOBAL_HEADER);
  writeHeader(new DataView(out.buffer), snaplen, linktype);
  return out;
}

/** One record, for `pcapHeader`'s stream. */
export function pcapRecord(p: PcapPacket): Uint8Array {
  const out = new Uint8Array(PCAP_RECORD_HEADER + p.data.length);
  writeRecord(out, new DataView(out.buffer), 0, p);
  return out;
}

/** A whole .pcap; `snaplen` is the capture's (the longest `data` when larger). */
export function pcapFile(packets: readonly PcapPacket[], snaplen = 1500): Uint8Array {
  const size = packets.reduce((n, p) => n + PCAP_RECORD_HEADER + p.data.length, PCAP_GLOBAL_HEADER);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  writeHeader(
    view,
    packets.reduce((n, p) => Math.max(n, p.data.length), snaplen),
    LINKTYPE_ETHERNET,
  );
  let at = PCAP_GLOBAL_HEADER;
  for (const p of packets) at = writeRecord(out, view, at, p);
  return out;
}
