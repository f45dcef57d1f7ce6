// Keystrokes carry per-client sequence numbers so a client can resend what it is unsure of
// after a reconnect: each number is applied once, in order, and never reordered. The key is the
// user and the tab's client id together, so nobody can consume another user's numbers.
export class InputSequencer {
  private next = new Map<string, number>();

  /** At most this many clients are remembered; the longest unused is forgotten first. */
  constructor(private readonly maxClients = 1000) {}

  /** "apply" the input, drop a "duplicate", or refuse a "gap" (an earlier message is missing). */
  accept(key: string, seq: number): "apply" | "duplicate" | "gap" {
    const expected = this.next.get(key) ?? 1;
    if (seq < expected) return "duplicate";
    if (seq > expected) return "gap";
    this.next.delete(key); // re-inserted last: the map's order is least recently used first
    this.next.set(key, seq + 1);
    if (this.next.size > this.maxClients) this.next.delete(this.next.keys().next().value!);
    return "apply";
  }

  /** The last sequence number applied for a client (0 before any). */
  lastApplied(key: string): number {
    return (this.next.get(key) ?? 1) - 1;
  }
}
