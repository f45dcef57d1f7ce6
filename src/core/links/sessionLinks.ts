// Setting and clearing one interface's impairment from the page (links.set / links.clear): the
// session's owner, drivers and its class's instructor, while it runs. The row and the job that
// applies it (session-links, on the session's worker) are written together.
import type { PrismaTransactionLike } from "pg-boss";
import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { AppError } from "~/core/errors";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { getSessionAccess } from "~/core/access/sessions";
import { engineViewOf } from "~/core/sessions/engineView";
import type { LinkSpec, LinkView } from "~/protocol/linkSpec";
import { mayCheck } from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { withLinkChange } from "./changeBudget";
import { classSpecOf, linkViewsOf, platformContainers } from "./linkStore";
import { deleteLink, refuseClassHeld, resolvePlace, writeLink, type LinkPlace } from "./placeLink";

type Request = { db: Db; boss: Boss; userId: string; sessionId: string } & LinkPlace;

export const VIEWER_REFUSAL = "Viewers cannot change link settings; the session's owner or a driver can.";

/** The session, if the user may change its links now. */
async function changeableSession(options: Request): Promise<LabSession> {
  const { session, access } = await getSessionAccess(options);
  if (!mayCheck(access)) throw new AppError("FORBIDDEN", VIEWER_REFUSAL);
  if (!isRunning(session.status)) throw new AppError("CONFLICT", "The lab is not running: link settings need its containers.");
  return session;
}

/** Enqueues the session's reconcile (inside `tx` when given); a job already waiting will read this change too. */
export function enqueueLinks(boss: Boss, session: Pick<LabSession, "id" | "workerId">, tx?: PrismaTransactionLike) {
  return enqueueUnlessInFlight(
    boss,
    "sessionLinks",
    { sessionId: session.id },
    { ...(tx ? { tx } : {}), workerId: session.workerId },
  );
}

/** Sets (or replaces) one interface's impairment; answers the session's impaired interfaces. */
export async function setLink(options: Request & { spec: LinkSpec }): Promise<LinkView[]> {
  const session = await changeableSession(options);
  // The session's bound on changes, shared with the host terminal's link command (after the access check: nobody else spends it).
  return withLinkChange(session.id, async () => {
    const view = engineViewOf(session);
    const place = resolvePlace(view, platformContainers(session), options);
    refuseClassHeld(view, await classSpecOf(options.db, session.classId), place);
    await options.db.$transaction(async (tx) => {
      await writeLink(tx, session.id, place, options.spec);
      await enqueueLinks(options.boss, session, tx);
    });
    return linkViewsOf(options.db, session);
  });
}

/** Removes one interface's impairment (nothing set there: a no-op); answers the session's impaired interfaces. */
export async function clearLink(options: Request): Promise<LinkView[]> {
  const session = await changeableSession(options);
  return withLinkChange(session.id, async () => {
    const view = engineViewOf(session);
    const place = resolvePlace(view, platformContainers(session), options);
    refuseClassHeld(view, await classSpecOf(options.db, session.classId), place);
    await options.db.$transaction(async (tx) => {
      if (await deleteLink(tx, session.id, place)) await enqueueLinks(options.boss, session, tx);
    });
    return linkViewsOf(options.db, session);
  });
}

/** The session's impaired interfaces, for anyone who may see the session. */
export async function listLinks(options: { db: Db; userId: string; sessionId: string }): Promise<LinkView[]> {
  const { session } = await getSessionAccess(options);
  return linkViewsOf(options.db, session);
}
