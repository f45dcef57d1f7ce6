// "Needs help": the learner raises it (with an optional message) on their class session; they or
// the class's instructor clear it. The trigger pushes the change to the dashboard, so each change
// costs a write and a NOTIFY to every dashboard of the class: a press that changes nothing writes
// nothing (a conditional update), and each person may change a session's flag at most
// HELP_CHANGES_MAX times a minute (in this web process's memory).
import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { FailureLimiter, waitText } from "~/core/accounts/failureLimiter";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { OWNER } from "~/protocol/roles";
import { isIn, LIVE, Status } from "~/protocol/sessionStatus";
import { getClassSession, getOwnOrTaughtSession } from "./classSession";

export const HELP_MESSAGE_MAX = 280;
export const HELP_CHANGES_MAX = 10;
const HELP_WINDOW_MS = 60_000;

/** Changes of a help flag, per session and person (raise, a new message, clear). */
const changes = new FailureLimiter({ max: HELP_CHANGES_MAX, windowMs: HELP_WINDOW_MS });

/** Counts one change, or refuses it with when to try again. Synchronous, so parallel presses cannot all pass. */
function takeChange(sessionId: string, userId: string): void {
  const key = `${sessionId}\n${userId}`;
  const wait = changes.retryAfterMs(key);
  if (wait > 0)
    throw new AppError(
      "LIMIT_EXCEEDED",
      `The help flag of this session was changed ${HELP_CHANGES_MAX} times in a minute, the most allowed: try again in ${waitText(wait)}.`,
    );
  changes.fail(key);
}

export async function raiseHelp(options: { db: Db; userId: string; sessionId: string; message?: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access } = await getClassSession(db, options.userId, options.sessionId);
  if (access !== OWNER) throw new AppError("FORBIDDEN", "Only the session's learner can ask for help in it.");
  if (session.status === Status.waiting)
    throw new AppError(
      "CONFLICT",
      "This session is still waiting in line for a lab host: ask for help once its lab has started.",
    );
  if (!isIn(session.status, LIVE)) throw new AppError("CONFLICT", "This session has ended, so there is no one to help in it.");
  const message = options.message?.trim() || null;
  if (session.helpRequestedAt && session.helpMessage === message) return sessionViewOf(db, session, access);
  takeChange(session.id, options.userId);
  // Only a row whose flag differs is written (two presses at once write once).
  const differs =
    message === null ? [{ helpMessage: { not: null } }] : [{ helpMessage: null }, { helpMessage: { not: message } }];
  await db.labSession.updateMany({
    where: { id: session.id, OR: [{ helpRequestedAt: null }, ...differs] },
    data: { helpRequestedAt: session.helpRequestedAt ?? new Date(), helpMessage: message },
  });
  return sessionViewOf(db, await reread(db, session.id), access);
}

export async function clearHelp(options: { db: Db; userId: string; sessionId: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access } = await getOwnOrTaughtSession(db, options.userId, options.sessionId);
  if (!session.helpRequestedAt) return sessionViewOf(db, session, access);
  takeChange(session.id, options.userId);
  await db.labSession.updateMany({
    where: { id: session.id, helpRequestedAt: { not: null } },
    data: { helpRequestedAt: null, helpMessage: null },
  });
  return sessionViewOf(db, await reread(db, session.id), access);
}

const reread = (db: Db, id: string): Promise<LabSession> => db.labSession.findUniqueOrThrow({ where: { id } });
