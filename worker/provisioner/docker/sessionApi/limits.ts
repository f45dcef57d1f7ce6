// The endpoint's limits per session: a request rate bucket (the gateway's TokenBucket) and a cap
// on open connections.

export type ApiLimits = {
  /** Largest request body accepted. */
  maxBodyBytes: number;
  /** Open connections at once, attached and exec streams included. */
  maxConnections: number;
  /** Requests per second, sustained; and the burst above it. */
  ratePerSecond: number;
  burst: number;
};

export const DEFAULT_API_LIMITS: ApiLimits = { maxBodyBytes: 64 * 1024, maxConnections: 16, ratePerSecond: 20, burst: 40 };

export const tooManyRequests = (limits: ApiLimits) =>
  `too many docker commands at once (at most ${limits.ratePerSecond} per second); wait a moment and try again`;
export const tooManyConnections = (limits: ApiLimits) =>
  `too many docker commands running at once in this session (at most ${limits.maxConnections}); end one and try again`;
export const bodyTooLarge = (limits: ApiLimits) => `the request is larger than ${limits.maxBodyBytes / 1024} KiB`;
