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

/** A turn-taker per key: a key's work runs after that key's previous work settled; keys do not wait for each other. */
export function inTurnPerKey(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const turns = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const next = (turns.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    turns.set(key, settled);
    void settled.then(() => turns.get(key) === settled && turns.delete(key));
    return next;
  };
}
