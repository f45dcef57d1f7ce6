// Work that must not overlap within a process, run one at a time in the order it arrived. Used where
// the database or the engine would serialise it anyway (an advisory lock, a count-then-create), so the
// callers wait here, holding nothing, instead of each holding a pooled connection while they queue.

/** A turn-taker: every call runs after the previous call's work settled, whether it passed or failed. */
export function inTurn(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = last.then(work, work);
    last = next.catch(() => undefined);
    return next;
  };
}
