// Scrapes and probes are open to anyone who reaches the port (/readyz always, /metrics without METRICS_TOKEN):
// callers that arrive while a read runs share its answer, so a flood of requests costs the database and the
// engine at most one query at a time per source, never one per request. A read that settled is not reused.

/** `read`, with every call made while one runs joining it instead of starting another. */
export function oneAtATime<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    if (running) return running;
    const current = (async () => read())().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };
}
