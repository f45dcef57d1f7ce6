// One live capture on the worker: reads the helper's pcap stream, keeps the records (at most
// CAPTURE_MAX_BYTES of them, counted as the .pcap they make), enforces the packet rate and the
// duration, and hands new records to its manager in batches (at most one per BATCH_MS).
import { PcapFormatError, PcapStreamParser, LINKTYPE_ETHERNET } from "~/core/capture/pcap";
import { PpsMeter } from "~/core/capture/limits";
import { PacketRing, type StoredRecord } from "~/core/capture/ring";
import type { CaptureLimits } from "~/core/settings";
import type { CaptureInfo } from "~/protocol/terminalProtocol";

export const BATCH_MS = 100;

export const endReasons = {
  stoppedBy: (handle: string) => `stopped by ${handle}`,
  tooFast: (limit: number) => `too many packets per second (limit ${limit})`,
  full: "capture reached its size limit",
  tooLong: (seconds: number) => `capture reached its time limit (${seconds} s)`,
  sessionEnded: "the lab was stopped",
  restarting: "the lab host is restarting",
  notPcap: (detail: string) => `the capture helper sent something that is not a packet capture (${detail})`,
  linktype: (linktype: number) => `this interface's link type (${linktype}) cannot be decoded; capture an Ethernet interface`,
};

export type LiveCaptureEvents = {
  /** Records received since the last batch (numbered from 1 in the capture). */
  batch(capture: LiveCapture, records: StoredRecord[]): void;
  /** It ended (once); the helper must be removed. */
  ended(capture: LiveCapture): void;
};

export class LiveCapture {
  readonly info: CaptureInfo;
  private readonly parser = new PcapStreamParser();
  private readonly ring: PacketRing;
  private readonly meter: PpsMeter;
  private pending: StoredRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout;
  private seen = 0;

  constructor(
    readonly sessionId: string,
    init: Pick<CaptureInfo, "id" | "container" | "iface" | "startedBy">,
    private readonly limits: CaptureLimits,
    private readonly events: LiveCaptureEvents,
    private readonly now: () => number = Date.now,
  ) {
    this.info = { ...init, startedAt: now(), state: "running", packets: 0, bytes: 0 };
    this.ring = new PacketRing(limits.CAPTURE_MAX_BYTES);
    this.meter = new PpsMeter(limits.CAPTURE_MAX_PPS, now);
    this.deadline = setTimeout(() => this.end(endReasons.tooLong(limits.CAPTURE_MAX_SECONDS)), limits.CAPTURE_MAX_SECONDS * 1000);
    this.deadline.unref();
  }

  get running(): boolean {
    return this.info.state === "running";
  }

  /** Bytes of packets kept (the size of its .pcap less the global header). */
  get retainedBytes(): number {
    return this.ring.bytes;
  }

  /** Every record kept, oldest first. */
  records(): StoredRecord[] {
    return this.ring.all();
  }

  /** A chunk of the helper's pcap stream. */
  data(chunk: Buffer) {
    if (!this.running) return;
    let records;
    try {
      records = this.parser.push(chunk);
    } catch (error) {
      this.end(endReasons.notPcap(error instanceof PcapFormatError ? error.message : String(error)));
      return;
    }
    const linktype = this.parser.header?.linktype;
    if (linktype !== undefined && linktype !== LINKTYPE_ETHERNET) return this.end(endReasons.linktype(linktype));
    const at = this.now();
    for (const r of records) {
      if (this.meter.add()) return this.end(endReasons.tooFast(this.limits.CAPTURE_MAX_PPS));
      if (!this.ring.fits(r.data.length)) return this.end(endReasons.full);
      const stored = { no: ++this.seen, ts: r.ts, len: r.len, data: r.data, at };
      this.ring.push(stored);
      this.pending.push(stored);
      this.info.packets = this.seen;
      this.info.bytes = this.ring.bytes;
    }
    if (this.pending.length > 0) this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.events.batch(this, batch);
  }

  /** Ends it (idempotent): the last batch goes out first. */
  end(reason: string) {
    if (!this.running) return;
    this.flush();
    clearTimeout(this.deadline);
    this.info.state = "ended";
    this.info.reason = reason;
    this.events.ended(this);
  }
}
