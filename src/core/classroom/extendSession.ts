// +15 minutes on a class session's time (the rules: extendRules.ts). The update is conditional on
// the session still running and the total staying within the allowance, so two presses at once
// cannot pass it.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { sessionViewOf, type SessionView } from "~/core/sessions/sessionView";
import { Status } from "~/protocol/sessionStatus";
import { getClassSession } from "./classSession";
import { extendRefusal, extensionMinutes } from "./extendRules";

export async function extendSession(options: { db: Db; userId: string; sessionId: string }): Promise<SessionView> {
  const { db } = options;
  const { session, access, assignment } = await getClassSession(db, options.userId, options.sessionId);
  const refusal = extendRefusal({ status: session.status, access, extendedMinutes: session.extendedMinutes, assignment });
  if (refusal) throw new AppError(refusal.code, refusal.message);
  const max = assignment!.maxExtensionMinutes;
  const minutes = extensionMinutes(session.extendedMinutes, max);
  const applied = await db.$executeRaw`
    UPDATE "LabSession"
       SET "expiresAt" = "expiresAt" + make_interval(mins => ${minutes}::int),
           "extendedMinutes" = "extendedMinutes" + ${minutes}::int
     WHERE "id" = ${session.id}::uuid AND "status" = ${Status.ready}::"SessionStatus"
       AND "extendedMinutes" + ${minutes}::int <= ${max}::int`;
  const row = await db.labSession.findUniqueOrThrow({ where: { id: session.id } });
  if (applied !== 1) {
    const again = extendRefusal({ status: row.status, access, extendedMinutes: row.extendedMinutes, assignment });
    throw new AppError(again?.code ?? "CONFLICT", again?.message ?? "This session changed meanwhile: press Extend again.");
  }
  return sessionViewOf(db, row, access);
}
