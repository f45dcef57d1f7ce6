// Counts failed attempts per key in a sliding window (in this process's memory): after `max`
// failures within `windowMs`, the key is refused until the oldest of them leaves the window.
// Bounded: at most `maxKeys` keys are remembered (the oldest is forgotten first).
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: { max: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limits.max) return 0;
    return recent[recent.length - this.limits.max]! + this.limits.windowMs - this.now();
  }

  /** Whether the key failed within the window. */
  hasFailed(key: string): boolean {
    return this.recent(key).length > 0;
  }

  /** Records one failure of the key. */
  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-this.limits.max));
    if (this.failures.size > (this.limits.maxKeys ?? 10_000)) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }
}

/** "3 minutes" / "1 minute" / "40 seconds": when to try again, for a message. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
