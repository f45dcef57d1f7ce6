// The push channel to the page: one subscription per open session page (tRPC over SSE), fed by
// the process's one LISTEN connection (src/core/push). Every (re)subscription first sends the
// current state (the session, its progress, its recent runs), so a page that reconnects after a
// drop has missed nothing; after that, each change the database announces is re-read through the
// same access-checked services as session.get and grading.progress and sent.
import "server-only";
import { getProgress } from "~/core/grading/getProgress";
import { readRecentRuns, readRun } from "~/core/grading/readRuns";
import { EventQueue } from "~/core/push/eventQueue";
import { getSessionEvents, type SessionEvent } from "~/core/push/sessionEvents";
import { getSessionAccess } from "~/core/sessions/access";
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

async function* changes(
  reader: Reader,
  queue: EventQueue<SessionEvent>,
  signal: AbortSignal | undefined,
): AsyncGenerator<LiveSessionEvent> {
  yield* currentState(reader);
  for await (const batch of queue.batches(signal)) {
    if (batch.some((e) => "resync" in e)) {
      yield* currentState(reader);
      continue;
    }
    const kinds = new Set(batch.map((e) => ("kind" in e ? e.kind : undefined)));
    // Re-reading the session re-checks access: a member removed meanwhile gets NOT_FOUND and the stream ends.
    if (kinds.has("status")) yield await sessionView(reader);
    if (kinds.has("status") || kinds.has("result") || kinds.has("submission"))
      yield { type: "progress", progress: await getProgress(reader) };
    const runIds = new Set(batch.flatMap((e) => ("kind" in e && e.kind === "run" ? [e.id] : [])));
    const runs = (await Promise.all([...runIds].map((id) => readRun(reader.db, reader.sessionId, id)))).filter(
      (r) => r !== undefined,
    );
    if (runs.length) yield { type: "runs", runs };
  }
}

export const liveRouter = createTRPCRouter({
  /** A session's page, live: its status, progress and runs, refused like session.get to anyone else. */
  session: learnerProcedure.input(sessionIdInput).subscription(async ({ ctx, input, signal }) => {
    const reader = { db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId };
    await getSessionAccess(reader); // refused before anything is sent (same NOT_FOUND as session.get)
    // Subscribed before the current state is read: a change between the two is sent, not lost.
    const queue = new EventQueue<SessionEvent>();
    const unsubscribe = getSessionEvents(ctx.env.DATABASE_URL).subscribe(input.sessionId, queue.push);
    return (async function* () {
      try {
        yield* changes(reader, queue, signal);
      } catch (error) {
        throw toTRPCError(error);
      } finally {
        unsubscribe();
      }
    })();
  }),
});
