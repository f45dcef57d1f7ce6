// Keystrokes carry per-client sequence numbers so a client can resend what it is unsure of
// after a reconnect: each number is applied once, in order, and never reordered.
export class InputSequencer {
  private next = new Map<string, number>();

  /** "apply" the input, drop a "duplicate", or refuse a "gap" (an earlier message is missing). */
  accept(clientId: string, seq: number): "apply" | "duplicate" | "gap" {
    const expected = this.next.get(clientId) ?? 1;
    if (seq < expected) return "duplicate";
    if (seq > expected) return "gap";
    this.next.set(clientId, seq + 1);
    return "apply";
  }

  /** The last sequence number applied for a client (0 before any). */
  lastApplied(clientId: string): number {
    return (this.next.get(clientId) ?? 1) - 1;
  }
}
