// The one guard of the check and submit tasks: checks read live containers, so they run only
// while the session is READY and its lab is known. Anything else is "could not run", with why.
import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import type { Lab } from "~/core/labs/schema";
import type { LabSession } from "~/generated/prisma/client";
import { isRunning } from "~/protocol/sessionStatus";
import { CheckCouldNotRunError } from "./couldNotRun";
import { paramsOfSession } from "~/core/sessions/sessionParams";

export async function runnableSession(
  db: Db,
  sessionId: string,
): Promise<{ session: LabSession; lab: Lab; params: { token: string } }> {
  const session = await db.labSession.findUnique({ where: { id: sessionId } });
  if (!session) throw new CheckCouldNotRunError("the lab session no longer exists");
  if (!isRunning(session.status))
    throw new CheckCouldNotRunError(`the lab is not running any more (it is ${session.status.toLowerCase()})`);
  const lab = labOfSession(session);
  if (!lab) throw new CheckCouldNotRunError(`the lab "${session.labSlug}" is no longer offered`);
  return { session, lab, params: paramsOfSession(session) };
}
