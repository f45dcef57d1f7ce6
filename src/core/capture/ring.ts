// The packets a capture keeps, oldest first, bounded by bytes (recordBytes) and, for rolling
// captures, by age: pushing past the byte budget drops the oldest, and `prune` drops the too old.
import { recordBytes } from "./limits";

export type StoredRecord = { no: number; ts: number; len: number; data: Buffer; at: number };

export class PacketRing {
  private items: StoredRecord[] = [];
  private head = 0;
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs = Infinity,
  ) {}

  get bytes(): number {
    return this.size;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Whether a record of this caplen still fits without dropping any. */
  fits(caplen: number): boolean {
    return this.size + recordBytes(caplen) <= this.maxBytes;
  }

  push(record: StoredRecord) {
    this.items.push(record);
    this.size += recordBytes(record.data.length);
    while (this.size > this.maxBytes && this.length > 0) this.dropOldest();
    this.compact();
  }

  /** Drops the records received before `now - maxAgeMs`. */
  prune(now: number) {
    while (this.length > 0 && this.items[this.head]!.at < now - this.maxAgeMs) this.dropOldest();
    this.compact();
  }

  /** The records kept, oldest first (a copy of the list; the records are shared). */
  all(): StoredRecord[] {
    return this.items.slice(this.head);
  }

  private dropOldest() {
    this.size -= recordBytes(this.items[this.head]!.data.length);
    this.head++;
  }

  private compact() {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
