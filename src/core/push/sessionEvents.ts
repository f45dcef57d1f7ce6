// What changed in a session, as the database announces it (triggers in the check_runs and
// hints_solutions migrations): ids only. Subscribers re-read what they show through the
// access-checked services.
import { z } from "zod";
import { createPushHub, type PushHub, type Resync } from "./hub";
import { pgNotificationSource } from "./pgSource";
import type { NotificationSource } from "./source";

export const SESSION_CHANNEL = "wireroom_session";

const notificationSchema = z.object({
  sessionId: z.uuid(),
  /**
   * status: the session's status, reason or engine view; run: a CheckRun (id); result: a CheckResult
   * or a SolutionReveal (what grading.progress shows changed); submission: a Submission (id).
   */
  kind: z.enum(["status", "run", "result", "submission"]),
  id: z.string().nullish(),
});
export type SessionChange = { kind: "status" | "result" | "submission" } | { kind: "run"; id: string };
export type SessionEvent = SessionChange | Resync;

function parse(payload: string): { topic: string; event: SessionChange } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const n = notificationSchema.safeParse(json);
  if (!n.success) return undefined;
  const { sessionId, kind, id } = n.data;
  if (kind === "run") return id ? { topic: sessionId, event: { kind, id } } : undefined;
  return { topic: sessionId, event: { kind } };
}

export type SessionEvents = {
  subscribe(sessionId: string, listener: (event: SessionEvent) => void): () => void;
  close(): Promise<void>;
};

export function createSessionEvents(source: NotificationSource): SessionEvents {
  const hub: PushHub<SessionChange> = createPushHub(source, { [SESSION_CHANNEL]: parse });
  return { subscribe: (sessionId, listener) => hub.subscribe(SESSION_CHANNEL, sessionId, listener), close: () => hub.close() };
}

// One LISTEN connection per process (kept on globalThis so Next's dev reloads do not open more).
const globalForPush = globalThis as unknown as { wireroomSessionEvents?: SessionEvents };

export function getSessionEvents(connectionString: string): SessionEvents {
  globalForPush.wireroomSessionEvents ??= createSessionEvents(pgNotificationSource(connectionString, [SESSION_CHANNEL]));
  return globalForPush.wireroomSessionEvents;
}
