// Each connection costs a screen snapshot, so a client that reconnects in a loop is told to back
// off: per user and terminal, a burst of connections, then one every few seconds.
import { TokenBucket } from "./rateLimit";

export const connectLimits = { burst: 10, perSecond: 0.5, maxKeys: 10_000 };

export class ConnectLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now?: () => number) {}

  /** Whether this user may open this terminal again now. */
  allow(userId: string, sessionId: string, terminal: string): boolean {
    const key = `${userId}/${sessionId}/${terminal}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= connectLimits.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = new TokenBucket(connectLimits.perSecond, connectLimits.burst, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(1);
  }
}
