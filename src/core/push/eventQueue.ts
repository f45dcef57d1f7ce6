// Turns pushed events into an async iteration for a subscription: events that arrive while the
// consumer is busy are handed over together at its next turn, so a burst (a check writes its
// run and several results in one commit) costs one re-read, not one per event.

export class EventQueue<E> {
  private pending: E[] = [];
  private wake: (() => void) | undefined;

  push = (event: E) => {
    this.pending.push(event);
    this.wake?.();
  };

  /** Yields the events gathered since the last turn, until the signal aborts. */
  async *batches(signal: AbortSignal | undefined): AsyncGenerator<E[]> {
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    while (!signal?.aborted) {
      if (this.pending.length === 0) {
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), aborted]);
        this.wake = undefined;
        continue;
      }
      const batch = this.pending;
      this.pending = [];
      yield batch;
    }
  }
}
