import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { labOfSession } from "~/core/labs/sessionLab";
import type { Access } from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { getSessionAccess } from "~/core/access/sessions";

/** The session and its lab, for a Check or Submit the user may make while it runs (else a clear refusal). */
export async function runningLab(
  options: { db: Db; userId: string; sessionId: string },
  may: (access: Access) => boolean,
  refusal: string,
) {
  const { session, access } = await getSessionAccess(options);
  if (!may(access)) throw new AppError("FORBIDDEN", refusal);
  if (!isRunning(session.status)) throw new AppError("CONFLICT", "The lab is not running: checks need its containers.");
  const lab = labOfSession(session);
  if (!lab) throw new AppError("NOT_FOUND", `The lab "${session.labSlug}" is no longer offered.`);
  return { session, lab };
}
