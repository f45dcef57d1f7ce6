// "Needs help": the learner raises it (with an optional message) on their class session; they or
// the class's instructor clear it. The trigger pushes the change to the dashboard.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { OWNER } from "~/protocol/roles";
import { isIn, LIVE } from "~/protocol/sessionStatus";
import { getClassSession, getOwnOrTaughtSession } from "./classSession";

export const HELP_MESSAGE_MAX = 280;

export async function raiseHelp(options: { db: Db; userId: string; sessionId: string; message?: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access } = await getClassSession(db, options.userId, options.sessionId);
  if (access !== OWNER) throw new AppError("FORBIDDEN", "Only the session's learner can ask for help in it.");
  if (!isIn(session.status, LIVE)) throw new AppError("CONFLICT", "This session has ended, so there is no one to help in it.");
  const message = options.message?.trim() || null;
  const row = await db.labSession.update({
    where: { id: session.id },
    data: { helpRequestedAt: session.helpRequestedAt ?? new Date(), helpMessage: message },
  });
  return sessionViewOf(db, row, access);
}

export async function clearHelp(options: { db: Db; userId: string; sessionId: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access } = await getOwnOrTaughtSession(db, options.userId, options.sessionId);
  const row = session.helpRequestedAt
    ? await db.labSession.update({ where: { id: session.id }, data: { helpRequestedAt: null, helpMessage: null } })
    : session;
  return sessionViewOf(db, row, access);
}
