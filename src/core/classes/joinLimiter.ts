// How many wrong join codes may be tried: failed attempts are counted per user and per client
// address (the address a trusted proxy names, TRUSTED_CLIENT_IP_HEADER), or, when no proxy names
// it, in one bucket for the whole platform (a header the client writes itself is never believed).
// The platform's bucket holds back only users who have typed a wrong code themselves: anyone can
// fill it (fresh guests cost nothing), and it must not lock every learner out of every class; a
// learner who types their code right the first time always gets in.
// A sliding window: each failure counts for `windowMs`. In memory, per web process.

export type JoinLimits = { windowMs: number; perUser: number; perAddress: number; platform: number };

/** A learner may mistype; a guesser gets nowhere (50-bit codes). A class of 300 with typos fits the platform bucket. */
export const JOIN_LIMITS: JoinLimits = { windowMs: 10 * 60_000, perUser: 10, perAddress: 30, platform: 300 };

/** The buckets are bounded: past this many keys the oldest are forgotten. */
const MAX_KEYS = 20_000;

export type JoinAttempt = { userId: string; address?: string };

const PLATFORM = "platform";

export class JoinLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: JoinLimits = JOIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private buckets(attempt: JoinAttempt): [string, number][] {
    return [
      [`user:${attempt.userId}`, this.limits.perUser],
      attempt.address ? [`address:${attempt.address}`, this.limits.perAddress] : [PLATFORM, this.limits.platform],
    ];
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Whole seconds until this attempt may be made, or 0 when it may be made now. */
  retryAfterSeconds(attempt: JoinAttempt): number {
    let waitMs = 0;
    const failedBefore = this.recent(`user:${attempt.userId}`).length > 0;
    for (const [key, limit] of this.buckets(attempt)) {
      if (key === PLATFORM && !failedBefore) continue;
      const times = this.recent(key);
      if (times.length >= limit) {
        // The oldest failure that keeps the bucket full must leave the window.
        const freeing = times[times.length - limit]!;
        waitMs = Math.max(waitMs, freeing + this.limits.windowMs - this.now());
      }
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** Counts a wrong or expired code against the attempt's buckets. */
  recordFailure(attempt: JoinAttempt): void {
    const t = this.now();
    for (const [key, limit] of this.buckets(attempt)) {
      const times = this.recent(key);
      times.push(t);
      this.failures.delete(key);
      this.failures.set(key, times.slice(-limit));
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }
}

/** The web process's limiter. */
export const joinLimiter = new JoinLimiter();

export const tooManyJoinAttempts = (seconds: number) => `Too many join attempts. Try again in ${seconds} seconds.`;
