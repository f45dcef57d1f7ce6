// State changes the worker makes while it runs a session's jobs. Each is guarded by the states
// it may leave, so a late provision cannot resurrect a session the learner already stopped.
import type { SessionStatus } from "~/generated/prisma/client";
import type { Db } from "~/core/db";

export type TransitionResult = "applied" | "skipped";

async function transition(
  db: Db,
  sessionId: string,
  from: SessionStatus[],
  data: Parameters<Db["labSession"]["updateMany"]>[0]["data"],
): Promise<TransitionResult> {
  const { count } = await db.labSession.updateMany({ where: { id: sessionId, status: { in: from } }, data });
  return count === 1 ? "applied" : "skipped";
}

export const markProvisioning = (db: Db, sessionId: string, workerId: string, reason: string) =>
  transition(db, sessionId, ["QUEUED", "PROVISIONING"], { status: "PROVISIONING", statusReason: reason, workerId });

export const markReady = (db: Db, sessionId: string, engineView?: object) =>
  transition(db, sessionId, ["QUEUED", "PROVISIONING"], {
    status: "READY",
    statusReason: null,
    readyAt: new Date(),
    ...(engineView ? { engineView } : {}),
  });

export const markFailed = (db: Db, sessionId: string, reason: string) =>
  transition(db, sessionId, ["QUEUED", "PROVISIONING"], { status: "FAILED", statusReason: reason });

/** A running session whose containers are gone from its engine. */
export const markLost = (db: Db, sessionId: string, reason: string) =>
  transition(db, sessionId, ["READY"], { status: "FAILED", statusReason: reason });

export const markStopped = (db: Db, sessionId: string) =>
  transition(db, sessionId, ["QUEUED", "PROVISIONING", "READY", "STOPPING", "FAILED"], {
    status: "STOPPED",
    statusReason: null,
    stoppedAt: new Date(),
  });
