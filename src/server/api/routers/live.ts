// The push channel to the page: one subscription per open session page (tRPC over SSE), fed by
// the process's one LISTEN connection (src/core/push). Every (re)subscription first sends the
// current state (the session, its progress, its recent runs), so a page that reconnects after a
// drop has missed nothing; after that, each change the database announces is re-read through the
// same access-checked services as session.get and grading.progress and sent. A class session's
// page also hears its class's messages (banners). A class's dashboard (live.class) is the same
// pattern on the class's topic: the whole table first, then the rows of the sessions that changed.
import "server-only";
import { z } from "zod";
import { getProgress } from "~/core/grading/getProgress";
import { readRecentRuns, toRunView } from "~/core/grading/readRuns";
import type { EventQueue } from "~/core/push/eventQueue";
import { liveStream, StreamLimits } from "~/core/push/liveStream";
import { getSessionEvents, type ClassChange, type SessionEvents } from "~/core/push/sessionEvents";
import { placeInLine, readLine, type LinePlace } from "~/core/queue/line";
import { LineBoard } from "~/core/queue/lineBoard";
import { getSessionAccess } from "~/core/access/sessions";
import { getTaughtClass } from "~/core/access/classes";
import { DashboardReader } from "~/core/classroom/dashboard";
import type { DashboardRow } from "~/core/classroom/dashboardRow";
import { isBannerFor, readBanners, type Banner } from "~/core/classroom/messages";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { followMySessions } from "~/core/sessions/followMySessions";
import type { Db } from "~/core/db";
import type { RunView } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure, toTRPCError } from "~/server/api/trpc";

export type LiveSessionEvent =
  | { type: "session"; session: SessionView }
  | { type: "progress"; progress: Awaited<ReturnType<typeof getProgress>> }
  | { type: "runs"; runs: RunView[] }
  /** A class session's messages from its instructor (to the class or to its learner), newest last, at most 20. */
  | { type: "banners"; banners: Banner[] }
  /** The line moved: a waiting session's new place (the session's `line`, sent without re-reading the session). */
  | { type: "line"; line: LinePlace };

/** Why a whole table was sent: the stream began, the class, its roster or its assignments changed, or a resync (changes may have been missed). */
export type TableCause = "subscribe" | "change" | "resync";

export type LiveClassEvent =
  /** Every row (on subscribe, after a class, roster or assignment change, after a resync). */
  | { type: "table"; cause: TableCause; className: string; rows: DashboardRow[] }
  /** The rows of the sessions that changed, to replace by key. */
  | { type: "rows"; rows: DashboardRow[] };

type Reader = { db: Db; userId: string; sessionId: string };

async function sessionView(reader: Reader): Promise<LiveSessionEvent> {
  const { session, access } = await getSessionAccess(reader);
  return { type: "session", session: await sessionViewOf(reader.db, session, access) };
}

async function banners(reader: Reader): Promise<LiveSessionEvent> {
  const { session } = await getSessionAccess(reader);
  return { type: "banners", banners: await readBanners(reader.db, session, reader.userId) };
}

async function* currentState(reader: Reader, classSession: boolean): AsyncGenerator<LiveSessionEvent> {
  yield await sessionView(reader);
  yield { type: "progress", progress: await getProgress(reader) };
  yield { type: "runs", runs: await readRecentRuns(reader.db, reader.sessionId) };
  if (classSession) yield await banners(reader);
}

/** The session's runs among `ids`, in one query (the session's access was checked by the caller). */
async function readRuns(db: Db, sessionId: string, ids: Set<string>): Promise<RunView[]> {
  if (ids.size === 0) return [];
  const runs = await db.checkRun.findMany({ where: { sessionId, id: { in: [...ids] } } });
  return runs.map(toRunView);
}

/**
 * The line as this process last read it (one read per change of the line, shared by every waiting
 * page here: src/core/queue/lineBoard.ts), dropped on each change and on a resync.
 */
const globalForLine = globalThis as unknown as { wireroomLineBoard?: LineBoard };
function lineBoard(db: Db, events: SessionEvents): LineBoard {
  if (!globalForLine.wireroomLineBoard) {
    const board = new LineBoard(() => readLine(db));
    events.subscribeLine(() => board.changed());
    globalForLine.wireroomLineBoard = board;
  }
  return globalForLine.wireroomLineBoard;
}

async function* changes(
  reader: Reader,
  classSession: boolean,
  queue: EventQueue,
  signal: AbortSignal | undefined,
  line: () => LineBoard,
  leftLine: () => void,
): AsyncGenerator<LiveSessionEvent> {
  // Whether the page's session is in line, as last sent: only then does a move of the line concern it.
  // Once out of it (admitted, stopped) it never comes back: the stream stops hearing the line.
  let waiting = false;
  const sent = (event: LiveSessionEvent) => {
    if (event.type === "session") {
      waiting = event.session.status === Status.waiting;
      if (!waiting) leftLine();
    }
    return event;
  };
  for await (const event of currentState(reader, classSession)) yield sent(event);
  // A resync batch is handed over after a random wait (EventQueue), so subscribers re-read spread out.
  for await (const { resync, kinds, ids: runIds } of queue.batches(signal)) {
    if (resync) {
      for await (const event of currentState(reader, classSession)) yield sent(event);
      continue;
    }
    if (kinds.has("banner")) yield await banners(reader);
    // Re-reading the session re-checks access: a member removed meanwhile gets NOT_FOUND and the stream ends.
    if (kinds.has("status")) yield sent(await sessionView(reader));
    else if (kinds.has("line") && waiting) {
      // Its own place, from the line this process read once for all its waiting pages.
      const place = placeInLine(await line().snapshot(), reader.sessionId);
      if (place) yield { type: "line", line: place };
    }
    if (kinds.has("status") || kinds.has("result") || kinds.has("submission"))
      yield { type: "progress", progress: await getProgress(reader) };
    const runs = await readRuns(reader.db, reader.sessionId, runIds);
    if (runs.length) yield { type: "runs", runs };
  }
}

/** Open streams of this web process, per user and per session (src/core/push/liveStream.ts). */
const streamLimits = new StreamLimits();

/** Open dashboards of this web process: an instructor has a few tabs; a class has its instructor and admins. */
export const MAX_DASHBOARDS_PER_USER = 8;
export const MAX_DASHBOARDS_PER_CLASS = 20;
const dashboardLimits = new StreamLimits(
  { perUser: MAX_DASHBOARDS_PER_USER, perSession: MAX_DASHBOARDS_PER_CLASS },
  {
    user: (limit) =>
      `You have ${limit} live class dashboards open already (the most one person may have): close other tabs of them, then reload this page.`,
    topic: (limit) =>
      `This class has ${limit} live dashboards open already (the most one class may have): close the ones you do not need, then reload this page.`,
  },
);

type ClassKind = "session" | "table";

/** What a class's change asks of its dashboard: re-read a session's row, the whole table, or nothing (a message). */
export function dashboardEvent(change: ClassChange): { kind: ClassKind; id?: string } | undefined {
  if (change.kind === "session") return { kind: "session", id: change.id };
  if (change.kind === "message") return undefined;
  return { kind: "table" };
}

type ClassReader = {
  db: Reader["db"];
  actor: { id: string; role: Parameters<typeof getTaughtClass>[1]["role"] };
  classId: string;
};

/**
 * How long a dashboard's batch of changes is held before its rows are re-read: a class's learners
 * change their sessions often (activity, checks, help), and one re-read of several rows costs
 * about what one row does.
 */
export const DASHBOARD_HOLD_MS = 200;

async function table(dashboard: DashboardReader, cause: TableCause): Promise<LiveClassEvent> {
  // Re-checks access: an instructor no longer teaching the class gets NOT_FOUND and the stream ends.
  const { className, rows } = await dashboard.table();
  return { type: "table", cause, className, rows };
}

async function* classChanges(
  reader: ClassReader,
  queue: EventQueue<ClassKind>,
  signal: AbortSignal | undefined,
): AsyncGenerator<LiveClassEvent> {
  // One reader for the stream's life: the class's learners, names and assignments are read with
  // the table, and again (with access) only when the class, its roster or assignments change, or
  // after a resync; a batch of session changes re-reads just their rows.
  const dashboard = new DashboardReader(reader.db, reader.actor, reader.classId);
  yield await table(dashboard, "subscribe");
  for await (const { resync, kinds, ids } of queue.batches(signal)) {
    if (resync || kinds.has("table")) {
      yield await table(dashboard, resync ? "resync" : "change");
      continue;
    }
    const rows = await dashboard.rows(ids);
    if (rows.length) yield { type: "rows", rows };
  }
}

export const liveRouter = createTRPCRouter({
  /**
   * The home's running labs, live: my sessions (as session.mine), sent again when one not yet
   * settled changes. Counted among my streams like a session page.
   */
  mine: learnerProcedure.subscription(({ ctx, signal }) => {
    const userId = ctx.learner.id;
    const topics = getSessionEvents(ctx.env.DATABASE_URL);
    return (async function* () {
      try {
        yield* followMySessions({
          db: ctx.db,
          userId,
          topics,
          signal,
          acquire: () => streamLimits.acquire(userId, `home:${userId}`),
        });
      } catch (error) {
        throw toTRPCError(error);
      }
    })();
  }),

  /** A session's page, live: its status, progress and runs, refused like session.get to anyone else. */
  session: learnerProcedure.input(sessionIdInput).subscription(async ({ ctx, input, signal }) => {
    const reader = { db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId };
    // Refused before anything is sent (same NOT_FOUND as session.get).
    const { session } = await getSessionAccess(reader);
    const events = getSessionEvents(ctx.env.DATABASE_URL);
    const { classId } = session;
    // Only a session in line hears the line's moves, and only while it is in line (a session never
    // goes back to WAITING): the pages of running labs are not woken by every move of the line.
    let offLine = () => {};
    const leftLine = () => {
      offLine();
      offLine = () => {};
    };
    // A class session also hears its class's messages to the class or to its learner, as banners.
    const subscribe = (listener: (event: Parameters<Parameters<typeof events.subscribe>[1]>[0]) => void) => {
      const offSession = events.subscribe(input.sessionId, listener);
      // The line moved: a waiting page shows its new place (a resync already reaches it on its own topic).
      if (session.status === Status.waiting)
        offLine = events.subscribeLine((event) => {
          if (!("resync" in event)) listener({ kind: "line" });
        });
      const offClass = classId
        ? events.subscribeClass(classId, (event) => {
            if ("kind" in event && event.kind === "message" && isBannerFor(reader.userId, event.userId))
              listener({ kind: "banner" });
          })
        : () => {};
      return () => {
        offSession();
        leftLine();
        offClass();
      };
    };
    // Nothing is held until the stream is first pulled, and all is released at its end or the
    // signal's abort (liveStream): subscribed before the current state is read, so a change
    // between the two is sent, not lost.
    return (async function* () {
      try {
        yield* liveStream({
          signal,
          acquire: () => streamLimits.acquire(reader.userId, reader.sessionId),
          subscribe,
          body: (queue) => changes(reader, classId !== null, queue, signal, () => lineBoard(reader.db, events), leftLine),
        });
      } catch (error) {
        throw toTRPCError(error);
      }
    })();
  }),

  /**
   * A class's live dashboard, for its instructor (or an admin); refused like classes.get to anyone
   * else. The whole table first, then the rows of the sessions that changed (coalesced), and the
   * whole table again after a roster or assignment change.
   */
  class: learnerProcedure
    .input(z.object({ classId: z.uuid("classId must be a class id (a UUID)") }))
    .subscription(async ({ ctx, input, signal }) => {
      const reader: ClassReader = { db: ctx.db, actor: { id: ctx.learner.id, role: ctx.learner.role }, classId: input.classId };
      await getTaughtClass(reader.db, reader.actor, reader.classId);
      const events = getSessionEvents(ctx.env.DATABASE_URL);
      return (async function* () {
        try {
          yield* liveStream<LiveClassEvent, ClassKind>({
            signal,
            acquire: () => dashboardLimits.acquire(reader.actor.id, `class:${reader.classId}`),
            subscribe: (listener) =>
              events.subscribeClass(reader.classId, (event) => {
                if ("resync" in event) return listener(event);
                const wanted = dashboardEvent(event);
                if (wanted) listener(wanted);
              }),
            body: (queue) => classChanges(reader, queue, signal),
            holdMs: DASHBOARD_HOLD_MS,
          });
        } catch (error) {
          throw toTRPCError(error);
        }
      })();
    }),
});
