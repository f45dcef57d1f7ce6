// The database writes that move a session through its status machine (src/protocol/sessionStatus.ts).
// Each move updates the row only while its status is one the move may leave (MOVES[move].from),
// in the same statement, so a late provision cannot resurrect a session the learner already
// stopped, and a move from anywhere else is refused ("skipped") rather than applied.
import type { Prisma } from "~/generated/prisma/client";
import type { EndReason } from "~/protocol/sessionEnd";
import { MOVES, type Move } from "~/protocol/sessionStatus";
import type { EngineView } from "./engineView";
import { engineViewSchema } from "./engineView";

export type TransitionResult = "applied" | "skipped";

/** What a placed session's row says until a worker claims its provision job (a start, an admission, a pooled one). */
export const QUEUED_REASON = "Waiting for a lab host";

/** The one call a move makes: a Prisma client or a transaction's. */
export type SessionRows = {
  labSession: {
    updateMany(args: {
      where: Prisma.LabSessionWhereInput;
      data: Prisma.LabSessionUpdateManyMutationInput;
    }): Promise<{ count: number }>;
  };
};

type MoveData = Omit<Prisma.LabSessionUpdateManyMutationInput, "status">;

async function apply(
  db: SessionRows,
  sessionId: string,
  move: Move,
  data: MoveData,
  also: Prisma.LabSessionWhereInput = {},
): Promise<TransitionResult> {
  const { from, to } = MOVES[move];
  const { count } = await db.labSession.updateMany({
    where: { ...also, id: sessionId, status: { in: [...from] } },
    data: { ...data, status: to },
  });
  return count === 1 ? "applied" : "skipped";
}

/** Only while the session is placed on this worker or on none (`workerId` given: a provision's own moves). */
const heldBy = (workerId: string | undefined): Prisma.LabSessionWhereInput =>
  workerId === undefined ? {} : { OR: [{ workerId: null }, { workerId }] };

/**
 * A worker claimed the provision job (again, on a retry: the reason says which attempt). Only a
 * session placed on it or on no worker: one placed elsewhere since (a stale job) is never claimed back.
 */
export const claim = (db: SessionRows, sessionId: string, workerId: string, reason: string) =>
  apply(db, sessionId, "claim", { statusReason: reason, workerId }, heldBy(workerId));

/**
 * Provisioning finished; the engine's view is what the learner's panels show. With `workerId`, only
 * while the session is still that worker's: a worker that went quiet and was swept cannot mark READY
 * a session placed on another since.
 */
export const ready = async (db: SessionRows, sessionId: string, engineView?: EngineView, workerId?: string) =>
  apply(
    db,
    sessionId,
    "ready",
    {
      statusReason: null,
      readyAt: new Date(),
      ...(engineView ? { engineView: engineViewSchema.parse(engineView) } : {}),
    },
    heldBy(workerId),
  );

/** Provisioning gave up (with `workerId`: only while the session is still that worker's). */
export const fail = (db: SessionRows, sessionId: string, reason: string, workerId?: string) =>
  apply(db, sessionId, "fail", { statusReason: reason }, heldBy(workerId));

/** A running session whose containers are gone from its engine. */
export const lose = (db: SessionRows, sessionId: string, reason: string) =>
  apply(db, sessionId, "lose", { statusReason: reason });

/** A stop was asked for; the caller enqueues the teardown in the same transaction (requestTeardown.ts). `endedBy` is kept once it is STOPPED (the page says it to each viewer). */
export const requestStop = (db: SessionRows, sessionId: string, reason: string, endedBy: EndReason) =>
  apply(db, sessionId, "requestStop", { statusReason: reason, endReason: endedBy });

/** Everything is removed. */
export const stopped = (db: SessionRows, sessionId: string) =>
  apply(db, sessionId, "stopped", { statusReason: null, stoppedAt: new Date() });

/**
 * The first in line gets its place: placed on `workerId` (null: no worker registered, the shared
 * queue) with its time starting now; the caller enqueues the provision job in the same transaction.
 */
export const admit = (db: SessionRows, sessionId: string, workerId: string | null, expiresAt: Date) =>
  apply(db, sessionId, "admit", { workerId, expiresAt, statusReason: QUEUED_REASON });

/**
 * Stopped while in line: nothing is on an engine, so it is STOPPED at once. By a person: `endedBy`
 * kept, like a stop. By the line itself (null: it waited too long, or its lab can never fit): no
 * endedBy, and `reason` is what the learner reads.
 */
export const leaveLine = (db: SessionRows, sessionId: string, endedBy: EndReason | null, reason: string | null = null) =>
  apply(db, sessionId, "leaveLine", { statusReason: reason, endReason: endedBy, stoppedAt: new Date() });
