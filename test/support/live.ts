// Reading a `live.session` (or `live.class`) subscription in tests: the events a browser receives, in order.
import { RunStatus, type RunView } from "~/protocol/checkRun";
import type { LiveSessionEvent } from "~/server/api/routers/live";
import { within } from "./eventually";

export type Live = AsyncIterator<LiveSessionEvent>;

/** How an event is named in a timeout's message (its type, unless a test says more). */
const byType = (event: { type: string }) => event.type;

/** Reads the subscription until an event satisfies `pick`; fails after `ms` naming what it waited for and what it saw. */
export async function until<T, E extends { type: string } = LiveSessionEvent>(
  live: AsyncIterator<E>,
  what: string,
  pick: (event: E) => T | undefined,
  ms = 30_000,
  describe: (event: E) => string = byType,
): Promise<T> {
  const seen: string[] = [];
  const read = async () => {
    for (;;) {
      const { value, done } = await live.next();
      if (done) throw new Error(`the subscription ended while waiting for ${what}`);
      const found = pick(value);
      if (found !== undefined) return found;
      seen.push(describe(value));
    }
  };
  return within(read(), ms, `${what} (events seen: ${seen.join(", ")})`);
}

/** A pick for `until`: the run `runId` once it has an outcome (neither queued nor running). */
export const runOutcome =
  (runId: string) =>
  (event: LiveSessionEvent): RunView | undefined =>
    event.type === "runs"
      ? event.runs.find((r) => r.id === runId && r.status !== RunStatus.queued && r.status !== RunStatus.running)
      : undefined;
