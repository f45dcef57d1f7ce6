// A token bucket per client: `rate` units per second, bursts up to `burst`.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** The units that could be taken now. */
  available(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    return this.tokens;
  }

  take(cost: number): boolean {
    if (cost > this.available()) return false;
    this.tokens -= cost;
    return true;
  }
}
