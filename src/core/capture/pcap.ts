// The classic pcap format (what `tcpdump -w -` writes): a 24-byte global header, then records of a
// 16-byte header (seconds, micro- or nanoseconds, captured length, length on the wire) and the bytes.
// `PcapStreamParser` takes the stream in chunks of any size; src/protocol/pcap.ts writes one.
import {
  LINKTYPE_ETHERNET,
  PCAP_GLOBAL_HEADER as GLOBAL_HEADER,
  PCAP_MAGIC as MAGIC_MICRO,
  PCAP_MAGIC_NANO as MAGIC_NANO,
  PCAP_RECORD_HEADER as RECORD_HEADER,
} from "~/protocol/pcap";

export { LINKTYPE_ETHERNET };
/** No record may claim more than this (tcpdump's largest snaplen); beyond it the stream is not pcap. */
export const MAX_RECORD_BYTES = 262_144;

export type PcapRecord = { ts: number /* µs since the epoch */; len: number; data: Buffer };
export type PcapGlobal = { linktype: number; snaplen: number; nano: boolean; littleEndian: boolean };

export class PcapFormatError extends Error {}

export class PcapStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  private global: PcapGlobal | undefined;

  get header(): PcapGlobal | undefined {
    return this.global;
  }

  /** Bytes received and not yet a whole record (bounded by one record). */
  get buffered(): number {
    return this.pending.length;
  }

  /** Feeds a chunk; returns the records it completed. Throws PcapFormatError on a stream that is not pcap. */
  push(chunk: Buffer): PcapRecord[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const records: PcapRecord[] = [];
    let at = 0;
    if (!this.global) {
      if (this.pending.length < GLOBAL_HEADER) return records;
      this.global = readGlobal(this.pending);
      at = GLOBAL_HEADER;
    }
    const { littleEndian, nano } = this.global;
    const u32 = (offset: number) => (littleEndian ? this.pending.readUInt32LE(offset) : this.pending.readUInt32BE(offset));
    while (this.pending.length - at >= RECORD_HEADER) {
      const caplen = u32(at + 8);
      if (caplen > MAX_RECORD_BYTES) throw new PcapFormatError(`pcap record of ${caplen} bytes exceeds ${MAX_RECORD_BYTES}`);
      if (this.pending.length - at < RECORD_HEADER + caplen) break;
      const seconds = u32(at);
      const fraction = u32(at + 4);
      records.push({
        ts: seconds * 1_000_000 + (nano ? Math.floor(fraction / 1000) : fraction),
        len: u32(at + 12),
        // A copy: the records outlive the chunk, which must not be retained whole.
        data: Buffer.from(this.pending.subarray(at + RECORD_HEADER, at + RECORD_HEADER + caplen)),
      });
      at += RECORD_HEADER + caplen;
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : Buffer.from(this.pending.subarray(at));
    return records;
  }
}

function readGlobal(b: Buffer): PcapGlobal {
  const be = b.readUInt32BE(0);
  const le = b.readUInt32LE(0);
  const littleEndian = le === MAGIC_MICRO || le === MAGIC_NANO;
  if (!littleEndian && be !== MAGIC_MICRO && be !== MAGIC_NANO) {
    throw new PcapFormatError(`not a pcap stream (magic 0x${be.toString(16).padStart(8, "0")})`);
  }
  const magic = littleEndian ? le : be;
  const u32 = (offset: number) => (littleEndian ? b.readUInt32LE(offset) : b.readUInt32BE(offset));
  return { littleEndian, nano: magic === MAGIC_NANO, snaplen: u32(16), linktype: u32(20) };
}
