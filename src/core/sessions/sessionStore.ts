// The session rows the worker's tasks read and move (provision, teardown, reconcile, reap), as a
// port: PostgreSQL through Prisma here, an in-memory store in memorySessionStore.ts for unit tests.
// A port rather than a fake of Prisma's calls: the tasks say what they need (a session, a move)
// instead of how Prisma spells a query, so the fake cannot drift with a where-clause's shape.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import type { LabSession } from "~/generated/prisma/client";
import { Status, type SessionStatus } from "~/protocol/sessionStatus";
import { engineViewSchema, type EngineView } from "./engineView";
import { expireSessions } from "./expireSessions";
import * as move from "./transitions";
import type { TransitionResult } from "./transitions";

/** What the tasks read of a session. */
export type StoredSession = Pick<
  LabSession,
  "id" | "labSlug" | "status" | "statusReason" | "workerId" | "lab" | "labHash" | "engineView"
>;

export interface SessionStore {
  find(sessionId: string): Promise<StoredSession | undefined>;
  /** Status of each of these sessions that has a row. */
  statuses(sessionIds: string[]): Promise<{ id: string; status: SessionStatus }[]>;
  /** Sessions of one worker in these statuses. */
  onWorker(workerId: string, statuses: readonly SessionStatus[]): Promise<{ id: string; status: SessionStatus }[]>;
  claim(sessionId: string, workerId: string, reason: string): Promise<TransitionResult>;
  /** workerId: only while the session is still placed on that worker (or on none). */
  ready(sessionId: string, engineView: EngineView, workerId?: string): Promise<TransitionResult>;
  fail(sessionId: string, reason: string, workerId?: string): Promise<TransitionResult>;
  lose(sessionId: string, reason: string): Promise<TransitionResult>;
  stopped(sessionId: string): Promise<TransitionResult>;
  /** Replaces a READY session's engine view; "skipped" when the session is not READY (any more). */
  setEngineView(sessionId: string, engineView: EngineView): Promise<TransitionResult>;
  /** Says why a stopping session is still stopping (its status does not change). */
  noteWhileStopping(sessionId: string, reason: string): Promise<void>;
  /** Asks every expired running or starting session to stop (teardown enqueued); their ids. */
  expire(now: Date): Promise<string[]>;
}

const SELECT = {
  id: true,
  labSlug: true,
  status: true,
  statusReason: true,
  workerId: true,
  lab: true,
  labHash: true,
  engineView: true,
} as const;

export function prismaSessionStore(db: Db, boss?: Boss): SessionStore {
  return {
    async find(sessionId) {
      return (await db.labSession.findUnique({ where: { id: sessionId }, select: SELECT })) ?? undefined;
    },
    statuses: (ids) => db.labSession.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } }),
    onWorker: (workerId, statuses) =>
      db.labSession.findMany({ where: { workerId, status: { in: [...statuses] } }, select: { id: true, status: true } }),
    claim: (id, workerId, reason) => move.claim(db, id, workerId, reason),
    ready: (id, engineView, workerId) => move.ready(db, id, engineView, workerId),
    fail: (id, reason, workerId) => move.fail(db, id, reason, workerId),
    lose: (id, reason) => move.lose(db, id, reason),
    stopped: (id) => move.stopped(db, id),
    async setEngineView(id, engineView) {
      const { count } = await db.labSession.updateMany({
        where: { id, status: Status.ready },
        data: { engineView: engineViewSchema.parse(engineView) },
      });
      return count === 1 ? "applied" : "skipped";
    },
    async noteWhileStopping(id, reason) {
      await db.labSession.updateMany({ where: { id, status: Status.stopping }, data: { statusReason: reason } });
    },
    expire(now) {
      if (!boss) throw new Error("this session store has no queue: it cannot enqueue teardowns");
      return expireSessions({ db, boss, now });
    },
  };
}
