// The push channel to the page: one subscription per open session page (tRPC over SSE), fed by
// the process's one LISTEN connection (src/core/push). Every (re)subscription first sends the
// current state (the session, its progress, its recent runs), so a page that reconnects after a
// drop has missed nothing; after that, each change the database announces is re-read through the
// same access-checked services as session.get and grading.progress and sent.
import "server-only";
import { getProgress } from "~/core/grading/getProgress";
import { readRecentRuns, toRunView } from "~/core/grading/readRuns";
import type { EventQueue } from "~/core/push/eventQueue";
import { liveStream, StreamLimits } from "~/core/push/liveStream";
import { getSessionEvents } from "~/core/push/sessionEvents";
import { getSessionAccess } from "~/core/access/sessions";
import { toSessionView, type SessionView } from "~/core/sessions/sessionView";
import type { Db } from "~/core/db";
import type { RunView } from "~/protocol/checkRun";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure, toTRPCError } from "~/server/api/trpc";

export type LiveSessionEvent =
  | { type: "session"; session: SessionView }
  | { type: "progress"; progress: Awaited<ReturnType<typeof getProgress>> }
  | { type: "runs"; runs: RunView[] };

type Reader = { db: Db; userId: string; sessionId: string };

async function sessionView(reader: Reader): Promise<LiveSessionEvent> {
  const { session, access } = await getSessionAccess(reader);
  return { type: "session", session: toSessionView(session, access) };
}

async function* currentState(reader: Reader): AsyncGenerator<LiveSessionEvent> {
  yield await sessionView(reader);
  yield { type: "progress", progress: await getProgress(reader) };
  yield { type: "runs", runs: await readRecentRuns(reader.db, reader.sessionId) };
}

/** The session's runs among `ids`, in one query (the session's access was checked by the caller). */
async function readRuns(db: Db, sessionId: string, ids: Set<string>): Promise<RunView[]> {
  if (ids.size === 0) return [];
  const runs = await db.checkRun.findMany({ where: { sessionId, id: { in: [...ids] } } });
  return runs.map(toRunView);
}

async function* changes(reader: Reader, queue: EventQueue, signal: AbortSignal | undefined): AsyncGenerator<LiveSessionEvent> {
  yield* currentState(reader);
  // A resync batch is handed over after a random wait (EventQueue), so subscribers re-read spread out.
  for await (const { resync, kinds, runIds } of queue.batches(signal)) {
    if (resync) {
      yield* currentState(reader);
      continue;
    }
    // Re-reading the session re-checks access: a member removed meanwhile gets NOT_FOUND and the stream ends.
    if (kinds.has("status")) yield await sessionView(reader);
    if (kinds.has("status") || kinds.has("result") || kinds.has("submission"))
      yield { type: "progress", progress: await getProgress(reader) };
    const runs = await readRuns(reader.db, reader.sessionId, runIds);
    if (runs.length) yield { type: "runs", runs };
  }
}

/** Open streams of this web process, per user and per session (src/core/push/liveStream.ts). */
const streamLimits = new StreamLimits();

export const liveRouter = createTRPCRouter({
  /** A session's page, live: its status, progress and runs, refused like session.get to anyone else. */
  session: learnerProcedure.input(sessionIdInput).subscription(async ({ ctx, input, signal }) => {
    const reader = { db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId };
    await getSessionAccess(reader); // refused before anything is sent (same NOT_FOUND as session.get)
    const events = getSessionEvents(ctx.env.DATABASE_URL);
    // Nothing is held until the stream is first pulled, and all is released at its end or the
    // signal's abort (liveStream): subscribed before the current state is read, so a change
    // between the two is sent, not lost.
    return (async function* () {
      try {
        yield* liveStream({
          signal,
          acquire: () => streamLimits.acquire(reader.userId, reader.sessionId),
          subscribe: (listener) => events.subscribe(input.sessionId, listener),
          body: (queue) => changes(reader, queue, signal),
        });
      } catch (error) {
        throw toTRPCError(error);
      }
    })();
  }),
});
