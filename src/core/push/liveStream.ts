// The life of one push stream (one open session page): its slot under the per-process limits,
// its subscription to the fan-out, and their release. All of it is taken inside the generator and
// released in its `finally` AND when the request's signal aborts: tRPC's SSE producer may never
// start the generator (the client left during the access check or before the first pull), and
// `return()` on a generator that never started does not run its `finally`; a subscriber parked at
// a `yield` that nobody pulls any more only ends through the signal.
import { AppError } from "~/core/errors";
import { EventQueue, type ChangeKind, type QueuedEvent } from "./eventQueue";

/**
 * Open live streams allowed per user in one web process. A learner has a page or two per session
 * open; 16 leaves room for many tabs, while one client cannot hold hundreds of connections (each
 * is a socket, a fan-out subscriber and re-reads on every change).
 */
export const MAX_STREAMS_PER_USER = 16;
/** Open live streams allowed per session in one web process (a classroom watching one session). */
export const MAX_STREAMS_PER_SESSION = 200;

/** What a refusal says, given the limit: one per user, one per topic (a session, or a class). */
export type LimitWords = { user: (limit: number) => string; topic: (limit: number) => string };

const SESSION_PAGES: LimitWords = {
  user: (limit) =>
    `You have ${limit} live session pages open already (the most one learner may have): close other tabs or windows of this site, then reload this page.`,
  topic: (limit) =>
    `This session has ${limit} live pages open already (the most one session may have): close pages of it you do not need, then reload this one.`,
};

/** Counts the open streams per user and per session (or other topic); refuses beyond the limits. */
export class StreamLimits {
  private readonly perUser = new Map<string, number>();
  private readonly perSession = new Map<string, number>();

  constructor(
    private readonly limits: { perUser: number; perSession: number } = {
      perUser: MAX_STREAMS_PER_USER,
      perSession: MAX_STREAMS_PER_SESSION,
    },
    private readonly words: LimitWords = SESSION_PAGES,
  ) {}

  /** Takes a slot, or throws LIMIT_EXCEEDED (TOO_MANY_REQUESTS) saying which limit; returns the release (safe to call twice). */
  acquire(userId: string, sessionId: string): () => void {
    if ((this.perUser.get(userId) ?? 0) >= this.limits.perUser)
      throw new AppError("LIMIT_EXCEEDED", this.words.user(this.limits.perUser));
    if ((this.perSession.get(sessionId) ?? 0) >= this.limits.perSession)
      throw new AppError("LIMIT_EXCEEDED", this.words.topic(this.limits.perSession));
    bump(this.perUser, userId, 1);
    bump(this.perSession, sessionId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.perUser, userId, -1);
      bump(this.perSession, sessionId, -1);
    };
  }

  count(key: { userId: string } | { sessionId: string }): number {
    return "userId" in key ? (this.perUser.get(key.userId) ?? 0) : (this.perSession.get(key.sessionId) ?? 0);
  }
}

function bump(counts: Map<string, number>, key: string, by: number) {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

/**
 * A stream that takes its slot (`acquire`) and subscribes a queue (`subscribe`) when first pulled,
 * before `body` reads anything (a change between the two is in the queue, not lost), and releases
 * both when it ends, fails, is returned, or the signal aborts.
 */
export async function* liveStream<T, K extends string = ChangeKind>(options: {
  signal: AbortSignal | undefined;
  /** Takes the stream's slot (throws when over a limit); returns its release. */
  acquire: () => () => void;
  /** Subscribes the listener to the topic's events (a session's, a class's); returns the unsubscribe. */
  subscribe: (listener: (event: QueuedEvent<K>) => void) => () => void;
  body: (queue: EventQueue<K>) => AsyncGenerator<T>;
  /** How long the queue holds a batch after its first change (EventQueue's holdMs; default none). */
  holdMs?: number;
}): AsyncGenerator<T> {
  const { signal } = options;
  const releases: (() => void)[] = [];
  const release = () => {
    for (const undo of releases.splice(0).reverse()) undo();
  };
  signal?.addEventListener("abort", release, { once: true });
  try {
    if (signal?.aborted) return;
    releases.push(options.acquire());
    const queue = new EventQueue<K>({ holdMs: options.holdMs });
    releases.push(options.subscribe(queue.push));
    yield* options.body(queue);
  } finally {
    signal?.removeEventListener("abort", release);
    release();
  }
}
