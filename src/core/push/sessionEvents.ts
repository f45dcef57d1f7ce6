// What changed in a session or a class, as the database announces it (triggers in the check_runs,
// hints_solutions and accounts_classes migrations): ids only. Subscribers re-read what they show
// through the access-checked services. One hub, one LISTEN connection per process, three channels:
// wireroom_session (a session's topic, and its class's when it has one), wireroom_class, and
// wireroom_line (the line of waiting sessions moved: src/core/queue/).
import { z } from "zod";
import { createPushHub, type ChannelParser, type PushHub, type Resync } from "./hub";
import { pgNotificationSource } from "./pgSource";
import type { NotificationSource } from "./source";

export const SESSION_CHANNEL = "wireroom_session";
export const CLASS_CHANNEL = "wireroom_class";
export const LINE_CHANNEL = "wireroom_line";

const notificationSchema = z.object({
  sessionId: z.uuid(),
  /**
   * status: the session's status, reason, engine view or class fields (help, activity, time,
   * reset); run: a CheckRun (id); result: a CheckResult or a SolutionReveal (what
   * grading.progress shows changed); submission: a Submission (id).
   */
  kind: z.enum(["status", "run", "result", "submission"]),
  id: z.string().nullish(),
  /** The session's class, when it was started for one. */
  classId: z.uuid().nullish(),
});

const classNotificationSchema = z.object({
  classId: z.uuid(),
  /** class: its own row; roster: a member (userId) joined or left; assignment: one changed; message: one sent (userId: its recipient, null = everyone). */
  kind: z.enum(["class", "roster", "assignment", "message"]),
  userId: z.string().nullish(),
});

/**
 * A session page's changes. `banner` and `line` are not database kinds: a class message for the
 * session's learner, and the line of waiting sessions moved, which the page's stream turns into
 * one (src/server/api/routers/live.ts).
 */
export type SessionChange = { kind: "status" | "result" | "submission" | "banner" | "line" } | { kind: "run"; id: string };
export type SessionEvent = SessionChange | Resync;

/** A class's changes: one of its sessions changed (id = the session), or the class, its roster, assignments or messages. */
export type ClassChange =
  | { kind: "session"; id: string; change: SessionChange["kind"] }
  | { kind: "class" | "roster" | "assignment" | "message"; userId: string | null };
export type ClassEvent = ClassChange | Resync;

/** The line of waiting sessions moved (one left it): its pages read it again. */
export type LineChange = { kind: "line" };

type Change = SessionChange | ClassChange | LineChange;

const LINE_TOPIC = "line";
const sessionTopic = (sessionId: string) => `session/${sessionId}`;
const classTopic = (classId: string) => `class/${classId}`;

function json(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

const parseSession: ChannelParser<Change> = (payload) => {
  const n = notificationSchema.safeParse(json(payload));
  if (!n.success) return undefined;
  const { sessionId, kind, id, classId } = n.data;
  if (kind === "run" && !id) return undefined;
  const change: SessionChange = kind === "run" ? { kind, id: id! } : { kind };
  const topics = [{ topic: sessionTopic(sessionId), event: change as Change }];
  if (classId) topics.push({ topic: classTopic(classId), event: { kind: "session", id: sessionId, change: kind } });
  return topics;
};

const parseClass: ChannelParser<Change> = (payload) => {
  const n = classNotificationSchema.safeParse(json(payload));
  if (!n.success) return undefined;
  return { topic: classTopic(n.data.classId), event: { kind: n.data.kind, userId: n.data.userId ?? null } };
};

const parseLine: ChannelParser<Change> = () => ({ topic: LINE_TOPIC, event: { kind: "line" } });

export type SessionEvents = {
  subscribe(sessionId: string, listener: (event: SessionEvent) => void): () => void;
  /** A class's topic: every change of its sessions (with the session's id) and of the class itself. */
  subscribeClass(classId: string, listener: (event: ClassEvent) => void): () => void;
  /** The line of waiting sessions: an event each time one leaves it (and a resync when changes may have been missed). */
  subscribeLine(listener: (event: LineChange | Resync) => void): () => void;
  close(): Promise<void>;
};

export function createSessionEvents(source: NotificationSource): SessionEvents {
  const hub: PushHub<Change> = createPushHub(source, {
    [SESSION_CHANNEL]: parseSession,
    [CLASS_CHANNEL]: parseClass,
    [LINE_CHANNEL]: parseLine,
  });
  return {
    // Topics are disjoint: a session's topic only carries SessionChange, a class's only ClassChange.
    subscribe: (sessionId, listener) => hub.subscribe(sessionTopic(sessionId), listener as (event: Change | Resync) => void),
    subscribeClass: (classId, listener) => hub.subscribe(classTopic(classId), listener as (event: Change | Resync) => void),
    subscribeLine: (listener) => hub.subscribe(LINE_TOPIC, listener as (event: Change | Resync) => void),
    close: () => hub.close(),
  };
}

// One LISTEN connection per process (kept on globalThis so Next's dev reloads do not open more).
const globalForPush = globalThis as unknown as { wireroomSessionEvents?: SessionEvents };

export function getSessionEvents(connectionString: string): SessionEvents {
  globalForPush.wireroomSessionEvents ??= createSessionEvents(
    pgNotificationSource(connectionString, [SESSION_CHANNEL, CLASS_CHANNEL, LINE_CHANNEL]),
  );
  return globalForPush.wireroomSessionEvents;
}
