"use client";

// The session page's one push channel: a tRPC subscription (SSE) that sends the session, its
// progress and its runs when they change, and the current state first on every (re)connect. No
// polling: the page makes one long-lived request however long the session takes to start.
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import type { RunView } from "~/protocol/checkRun";
import { isIn, SETTLED, Status } from "~/protocol/sessionStatus";
import type { LiveSessionEvent } from "~/server/api/routers/live";
import { useTRPC } from "~/trpc/react";

type SessionOf<T> = T extends { type: "session"; session: infer S } ? S : never;
type ProgressOf<T> = T extends { type: "progress"; progress: infer P } ? P : never;
type BannersOf<T> = T extends { type: "banners"; banners: infer B } ? B : never;
export type LiveSession = SessionOf<LiveSessionEvent>;
export type LiveProgress = ProgressOf<LiveSessionEvent>;
export type LiveBanners = BannersOf<LiveSessionEvent>;

export type SessionLive = {
  session: LiveSession | undefined;
  progress: LiveProgress | undefined;
  /** Every run this page has heard of, by id. */
  runs: ReadonlyMap<string, RunView>;
  /** A class session's messages from its instructor, newest last (empty for a lab started alone). */
  banners: LiveBanners;
  /** Why the page cannot follow the session (refused, or gone); reconnecting clears it. */
  error: string | undefined;
};

export function useSessionLive(sessionId: string): SessionLive & { apply: (session: LiveSession) => void } {
  const trpc = useTRPC();
  const [state, setState] = useState<Omit<SessionLive, "error">>({
    session: undefined,
    progress: undefined,
    runs: new Map(),
    banners: [],
  });
  const subscription = useSubscription(
    trpc.live.session.subscriptionOptions(
      { sessionId },
      {
        onData: (event) =>
          setState((previous) => {
            if (event.type === "session") return { ...previous, session: event.session };
            if (event.type === "progress") return { ...previous, progress: event.progress };
            if (event.type === "banners") return { ...previous, banners: event.banners };
            // The line moved: the waiting session's new place (a session no longer waiting keeps its view).
            if (event.type === "line")
              return previous.session?.status === Status.waiting
                ? { ...previous, session: { ...previous.session, line: event.line } }
                : previous;
            const runs = new Map(previous.runs);
            for (const run of event.runs) runs.set(run.id, run);
            return { ...previous, runs };
          }),
      },
    ),
  );
  return {
    ...state,
    error: subscription.status === "error" ? (subscription.error?.message ?? "the connection to the server was lost") : undefined,
    // A mutation's answer (e.g. Stop's STOPPING) may arrive after the push of a later state
    // (STOPPED): it never moves a settled session back.
    apply: (session) =>
      setState((previous) =>
        previous.session && isIn(previous.session.status, SETTLED) && !isIn(session.status, SETTLED)
          ? previous
          : { ...previous, session },
      ),
  };
}
