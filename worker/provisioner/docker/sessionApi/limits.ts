// The endpoint's limits per session: a request rate bucket (the gateway's TokenBucket; pings, which
// every CLI command starts with, have a bucket of their own at the same rate), a cap on open
// connections, and the size and nesting of a request body.

export type ApiLimits = {
  /** Largest request body accepted. */
  maxBodyBytes: number;
  /** Open connections at once, attached and exec streams included. */
  maxConnections: number;
  /** Deepest nesting of objects and lists in a JSON body. */
  maxBodyDepth: number;
  /** Requests per second, sustained; and the burst above it (pings counted apart, at the same rate). */
  ratePerSecond: number;
  burst: number;
  /**
   * Containers and networks created per minute, sustained, and the burst above it: each create
   * costs the shared engine (a network's also runs the firewall), so a create/remove loop within
   * the quotas is slowed to this.
   */
  createsPerMinute: number;
  createBurst: number;
};

export const DEFAULT_API_LIMITS: ApiLimits = {
  maxBodyBytes: 64 * 1024,
  maxBodyDepth: 16,
  maxConnections: 16,
  ratePerSecond: 20,
  burst: 40,
  createsPerMinute: 30,
  createBurst: 20,
};

export const tooManyRequests = (limits: ApiLimits) =>
  `too many docker commands at once (at most ${limits.ratePerSecond} per second); wait a moment and try again`;
export const tooManyCreates = (limits: ApiLimits) =>
  `too many containers and networks created in this session (at most ${limits.createsPerMinute} a minute after the first ${limits.createBurst}); wait a moment and try again`;
export const tooManyConnections = (limits: ApiLimits) =>
  `too many docker commands running at once in this session (at most ${limits.maxConnections}); end one and try again`;
export const bodyTooDeep = (limits: ApiLimits) =>
  `the request body nests more than ${limits.maxBodyDepth} levels of objects or lists; docker sends far fewer`;
export const bodyTooLarge = (limits: ApiLimits) => `the request is larger than ${limits.maxBodyBytes / 1024} KiB`;
