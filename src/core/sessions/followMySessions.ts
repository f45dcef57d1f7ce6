// The home's running labs, live: the learner's sessions (listMySessions), sent again whenever one
// of those not yet settled changes (its status, its time, its end), as the database announces it
// on each session's push topic. Subscribed before each read, so a change between the two is not
// lost; what arrives while a read runs is coalesced into one more read. Nothing polls.
//
// Limitation: a session that starts elsewhere (another tab) is only announced to its own topic,
// which this stream does not know yet: it appears after the next event of another session, a
// resync of the push connection, or a reload. (A notification naming the owner would close that gap.)
import type { Db } from "~/core/db";
import { listMySessions, type MySession } from "./listMySessions";

/** The push channel's per-session topics (src/core/push/sessionEvents.ts's SessionEvents). */
export type SessionTopics = { subscribe(sessionId: string, listener: () => void): () => void };

export async function* followMySessions(options: {
  db: Db;
  userId: string;
  topics: SessionTopics;
  signal: AbortSignal | undefined;
  /** Takes the stream's slot under the process's limits (throws when over one); returns its release. */
  acquire?: () => () => void;
}): AsyncGenerator<MySession[]> {
  const { db, userId, topics, signal } = options;
  const followed = new Map<string, () => void>();
  let dirty = true;
  let wake: (() => void) | undefined;
  const changed = () => {
    dirty = true;
    wake?.();
  };
  const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
  let release: (() => void) | undefined;
  // Released at the end, and at the signal's abort (a stream parked at a yield nobody pulls).
  const releaseAll = () => {
    for (const unsubscribe of followed.values()) unsubscribe();
    followed.clear();
    release?.();
    release = undefined;
  };
  signal?.addEventListener("abort", releaseAll, { once: true });
  try {
    if (signal?.aborted) return;
    release = options.acquire?.();
    let sent: string | undefined;
    while (!signal?.aborted) {
      if (!dirty) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
        continue;
      }
      dirty = false;
      const sessions = await listMySessions({ db, userId });
      if (signal?.aborted) return;
      // Follow the sessions that may still change; a newly followed one is read once more (it may
      // have changed between the read and the subscription).
      const open = new Set(sessions.filter((s) => !s.isSettled).map((s) => s.id));
      for (const [id, unsubscribe] of followed)
        if (!open.has(id)) {
          unsubscribe();
          followed.delete(id);
        }
      for (const id of open)
        if (!followed.has(id)) {
          followed.set(id, topics.subscribe(id, changed));
          dirty = true;
        }
      const key = JSON.stringify(sessions);
      if (key !== sent) {
        sent = key;
        yield sessions;
      }
    }
  } finally {
    signal?.removeEventListener("abort", releaseAll);
    releaseAll();
  }
}
