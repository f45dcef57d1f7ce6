// The packet-rate limit of a capture: packets counted in 100 ms slots over the last 2 s; the rate is
// "sustained" over the limit when the last 2 s held more than 2 s × the limit.

export const PPS_WINDOW_MS = 2000;
const SLOT_MS = 100;
const SLOTS = PPS_WINDOW_MS / SLOT_MS;

export class PpsMeter {
  private readonly slots = new Array<number>(SLOTS).fill(0);
  private slotAt = 0;
  private total = 0;

  constructor(
    private readonly maxPps: number,
    private readonly now: () => number = Date.now,
  ) {
    this.slotAt = Math.floor(now() / SLOT_MS);
  }

  private advance() {
    const slot = Math.floor(this.now() / SLOT_MS);
    const steps = Math.min(slot - this.slotAt, SLOTS);
    for (let i = 1; i <= steps; i++) {
      const index = (this.slotAt + i) % SLOTS;
      this.total -= this.slots[index]!;
      this.slots[index] = 0;
    }
    if (slot > this.slotAt) this.slotAt = slot;
  }

  /** Counts `packets` now; returns whether the last 2 s are over the limit. */
  add(packets = 1): boolean {
    this.advance();
    this.slots[this.slotAt % SLOTS]! += packets;
    this.total += packets;
    return this.total > this.budget();
  }

  over(): boolean {
    this.advance();
    return this.total > this.budget();
  }

  private budget(): number {
    return (this.maxPps * PPS_WINDOW_MS) / 1000;
  }

  /** Packets per second over the last 2 s. */
  rate(): number {
    this.advance();
    return (this.total * 1000) / PPS_WINDOW_MS;
  }
}

/** The bytes a packet takes in a capture's budget: what it adds to the .pcap (record header + data). */
export const recordBytes = (caplen: number) => 16 + caplen;
