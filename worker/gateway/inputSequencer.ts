// Keystrokes carry per-client sequence numbers so a client can resend what it is unsure of
// after a reconnect: each number is applied once, in order, and never reordered. The key is the
// user and the tab's client id together, so nobody can consume another user's numbers. Only
// clients who may type are sequenced (viewers' input is refused before it gets here).
//
// Memory is bounded: at most `maxClients` keys, and `perUser` keys for any one user; beyond that
// the least recently used key that is not connected is forgotten (a user's own first). A
// forgotten or new key takes the first number it sends as its start, so nobody is muted by it.
export class InputSequencer {
  private next = new Map<string, { next: number; userId: string }>();

  constructor(
    private readonly maxClients = 1000,
    private readonly perUser = 20,
    /** Whether a key belongs to a connected client (never forgotten while it is). */
    private readonly isLive: (key: string) => boolean = () => false,
  ) {}

  /** "apply" the input, drop a "duplicate", or refuse a "gap" (an earlier message is missing). */
  accept(key: string, userId: string, seq: number): "apply" | "duplicate" | "gap" {
    const known = this.next.get(key);
    const expected = known?.next ?? seq;
    if (seq < expected) return "duplicate";
    if (seq > expected) return "gap";
    this.next.delete(key); // re-inserted last: the map's order is least recently used first
    this.next.set(key, { next: seq + 1, userId });
    if (!known) this.trim(userId);
    return "apply";
  }

  /** The last sequence number applied for a client (0 before any). */
  lastApplied(key: string): number {
    return (this.next.get(key)?.next ?? 1) - 1;
  }

  private trim(userId: string) {
    const mine = [...this.next].filter(([, v]) => v.userId === userId);
    if (mine.length > this.perUser) this.forgetOldest(mine.map(([k]) => k));
    if (this.next.size > this.maxClients) this.forgetOldest(this.next.keys());
  }

  private forgetOldest(keys: Iterable<string>) {
    for (const key of keys) {
      if (this.isLive(key)) continue;
      this.next.delete(key);
      return;
    }
  }
}
