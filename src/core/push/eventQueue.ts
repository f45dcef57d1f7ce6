// Turns pushed events into an async iteration for a subscription. What arrives while the
// consumer is busy is coalesced, not listed: the consumer only needs which kinds changed, which
// ids (a session page: the runs; a class dashboard: the sessions), and whether to re-read
// everything. So a burst (a check writes its run and several results in one commit) costs one
// re-read, and a client that stops reading holds a bounded state (the kinds, at most
// MAX_PENDING_IDS ids, a flag), however many notifications arrive meanwhile.
import type { Resync } from "./hub";
import type { SessionChange } from "./sessionEvents";

export type ChangeKind = SessionChange["kind"];

/** One pushed change: its kind, and the id of what changed when the consumer re-reads by id. */
export type QueuedEvent<K extends string> = { kind: K; id?: string } | Resync;

/** What changed since the consumer's last turn. With `resync`, re-read everything (kinds and ids are then empty). */
export type Batch<K extends string = ChangeKind> = { resync: boolean; kinds: Set<K>; ids: Set<string> };

/** Beyond this many distinct pending ids, the batch becomes a resync (one full re-read) instead of growing. */
export const MAX_PENDING_IDS = 200;

/**
 * A resync (after the LISTEN connection came back) reaches every subscriber of the process at
 * once; each waits a random 0 to RESYNC_SPREAD_MS before its batch is handed over, so their
 * re-reads are spread instead of hitting the database together.
 */
export const RESYNC_SPREAD_MS = 2_000;

const empty = <K extends string>(): Batch<K> => ({ resync: false, kinds: new Set(), ids: new Set() });

export class EventQueue<K extends string = ChangeKind> {
  private pending: Batch<K> = empty();
  private wake: (() => void) | undefined;

  /**
   * `holdMs`: how long a batch is held after its first change before it is handed over, so that
   * changes arriving close together cost one re-read (a class dashboard: many learners' changes).
   */
  constructor(private readonly options: { resyncSpreadMs?: number; random?: () => number; holdMs?: number } = {}) {}

  push = (event: QueuedEvent<K>) => {
    const p = this.pending;
    if ("resync" in event) {
      p.resync = true;
    } else if (!p.resync) {
      p.kinds.add(event.kind);
      if (event.id !== undefined) p.ids.add(event.id);
      if (p.ids.size > MAX_PENDING_IDS) p.resync = true;
    }
    if (p.resync) {
      p.kinds.clear();
      p.ids.clear();
    }
    this.wake?.();
  };

  /** How much the queue holds (kinds + ids + the flag): bounded, whatever was pushed. */
  get size(): number {
    return this.pending.kinds.size + this.pending.ids.size + (this.pending.resync ? 1 : 0);
  }

  /** Yields what changed since the last turn, until the signal aborts. */
  async *batches(signal: AbortSignal | undefined): AsyncGenerator<Batch<K>> {
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    while (!signal?.aborted) {
      if (this.size === 0) {
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), aborted]);
        this.wake = undefined;
        continue;
      }
      const wait = this.pending.resync
        ? (this.options.random ?? Math.random)() * (this.options.resyncSpreadMs ?? RESYNC_SPREAD_MS)
        : (this.options.holdMs ?? 0);
      if (wait > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, wait))), aborted]);
        clearTimeout(timer);
        if (signal?.aborted) return;
      }
      const batch = this.pending;
      this.pending = empty();
      yield batch;
    }
  }
}
