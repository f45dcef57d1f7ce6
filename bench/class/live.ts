// A learner's session page, live: the live.session subscription over SSE (as the page holds it),
// with waits for what the page waits to show (a status, a run's verdict), each bounded by a deadline.
import type { LiveSessionEvent } from "~/server/api/routers/live";
import type { SessionView } from "~/core/sessions/sessionView";
import type { RunView } from "~/protocol/checkRun";
import { isFinished } from "~/protocol/checkRun";
import { subscribeTrpc } from "../trpcSse";
import { BenchError, type Browser } from "./http";

type Waiter = { test: (event: LiveSessionEvent, at: number) => boolean; reject: (error: Error) => void };

export type SessionPage = {
  /** The latest session view received. */
  latest(): SessionView | undefined;
  /** Resolves with the arrival time (performance.now) of the first event (past or future) passing `test`. */
  until(what: string, test: (event: LiveSessionEvent) => boolean, timeoutMs: number): Promise<number>;
  /** A run's verdict: its finished view and when it arrived. */
  verdict(runId: string, timeoutMs: number): Promise<{ run: RunView; at: number }>;
  close(): void;
};

export function openSessionPage(browser: Browser, sessionId: string): SessionPage {
  const seen: { event: LiveSessionEvent; at: number }[] = [];
  const waiters = new Set<Waiter>();
  let latest: SessionView | undefined;
  let ended: Error | undefined;
  const sub = subscribeTrpc({
    baseUrl: browser.baseUrl,
    path: "live.session",
    input: { sessionId },
    cookie: browser.cookie,
    onData: ({ data }) => {
      const at = performance.now();
      const event = data as LiveSessionEvent;
      if (event.type === "session") latest = event.session;
      seen.push({ event, at });
      for (const w of waiters) if (w.test(event, at)) waiters.delete(w);
    },
  });
  const end = (error: Error) => {
    ended = error;
    for (const w of waiters) w.reject(error);
    waiters.clear();
  };
  sub.done.then(
    () => end(new BenchError("live stream ended", "live.session ended before the learner was done")),
    (error: unknown) => end(new BenchError("live stream failed", `live.session failed: ${(error as Error).message}`)),
  );

  const until: SessionPage["until"] = (what, test, timeoutMs) =>
    new Promise((resolve, reject) => {
      const past = seen.find((s) => test(s.event));
      if (past) return resolve(past.at);
      if (ended) return reject(ended);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new BenchError(`timeout: ${what}`, `no ${what} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const waiter: Waiter = {
        test: (event, at) => {
          if (!test(event)) return false;
          clearTimeout(timer);
          resolve(at);
          return true;
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.add(waiter);
    });

  return {
    latest: () => latest,
    until,
    async verdict(runId, timeoutMs) {
      let run: RunView | undefined;
      const finished = (event: LiveSessionEvent) => {
        if (event.type !== "runs") return false;
        run = event.runs.find((r) => r.id === runId && isFinished(r.status));
        return run !== undefined;
      };
      const at = await until(`verdict of run ${runId.slice(0, 8)}`, finished, timeoutMs);
      return { run: run!, at };
    },
    close: () => {
      ended ??= new BenchError("closed", "the page was closed");
      waiters.clear();
      sub.close();
    },
  };
}
