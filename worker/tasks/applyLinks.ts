// The session-links job and the worker's other ways in to a session's link impairments: a change
// from the page (the job), the host terminal's `link` command, an engine view change (a new
// container on the default bridge of a class with an impairment, a restarted one) and a session
// becoming READY. All run reconcileLinks (src/core/links/) one at a time per session.
import type { Db } from "~/core/db";
import { inTurnPerKey } from "~/core/inTurn";
import { jobs } from "~/core/jobs/definitions";
import { logger } from "~/core/log";
import { runLinkCommand, type LinkAnswer } from "~/core/links/linkCommand";
import { reconcileLinks, type LinksReport } from "~/core/links/reconcileLinks";
import type { ImpairPort } from "~/core/provisioner/impairPort";
import type { Provisioner } from "~/core/provisioner/port";
import { Status } from "~/protocol/sessionStatus";
import { readEngineView } from "./refreshEngineView";
import type { Task } from "./types";

export type LinksDeps = { db: Db; impair: ImpairPort; provisioner: Provisioner; workerId: string };

const log = logger.child({ component: "links" });

/** Each session's reconcile runs after the previous one settled (the job, the command and the hooks share it). */
const inSessionTurn = inTurnPerKey();

export function applySessionLinks(deps: LinksDeps, sessionId: string): Promise<LinksReport> {
  return inSessionTurn(sessionId, async () => {
    const report = await reconcileLinks(
      { db: deps.db, impair: deps.impair, readView: (id) => readEngineView(deps.provisioner, id) },
      sessionId,
    );
    const counts = { applied: report.applied, removed: report.removed, forgotten: report.forgotten };
    if (report.applied.length || report.removed.length || report.forgotten.length)
      log.info({ workerId: deps.workerId, sessionId, ...counts }, "link impairments reconciled");
    for (const f of report.failed) log.warn({ workerId: deps.workerId, sessionId, place: f.place }, f.error);
    return report;
  });
}

/** Whether the session has anything to impair (its own rows, or its class's setting): most have not. */
async function hasLinks(db: Db, sessionId: string): Promise<boolean> {
  const session = await db.labSession.findUnique({
    where: { id: sessionId },
    select: { status: true, classId: true, _count: { select: { linkImpairments: true } } },
  });
  if (session?.status !== Status.ready) return false;
  if (session._count.linkImpairments > 0) return true;
  return session.classId !== null && (await db.classImpairment.count({ where: { classId: session.classId } })) > 0;
}

/** The engine view of a session changed (refreshEngineView's onEngineViewChanged): its links follow. */
export async function linksOnViewChange(deps: LinksDeps, sessionId: string): Promise<void> {
  if (await hasLinks(deps.db, sessionId)) await applySessionLinks(deps, sessionId);
}

/**
 * Every READY session of this worker that has something to impair, reconciled (on the reconcile
 * timer): a helper that died (its nfdelay ended, someone removed it) or a container started again
 * without a view change gets its impairment back, and one that could not be applied is tried again.
 */
export async function reconcileWorkerLinks(deps: LinksDeps): Promise<void> {
  const failed = (sessionId: string | undefined) => (error: unknown) =>
    log.error({ workerId: deps.workerId, sessionId, err: error }, `links reconcile failed: ${(error as Error).message}`);
  try {
    const classIds = (await deps.db.classImpairment.findMany({ select: { classId: true } })).map((c) => c.classId);
    const sessions = await deps.db.labSession.findMany({
      where: {
        status: Status.ready,
        workerId: deps.workerId,
        OR: [{ linkImpairments: { some: {} } }, ...(classIds.length ? [{ classId: { in: classIds } }] : [])],
      },
      select: { id: true },
    });
    for (const { id } of sessions) await applySessionLinks(deps, id).catch(failed(id));
  } catch (error) {
    failed(undefined)(error);
  }
}

/** The session-links job (the page's set/clear, the class's): reconcile; engine errors retry. */
export function applyLinksTask(deps: LinksDeps): Task {
  return {
    job: "sessionLinks",
    async run(job) {
      const { sessionId } = jobs.sessionLinks.payload.parse(job.data);
      await applySessionLinks(deps, sessionId);
    },
  };
}

/** The provision task, then the session's links once it is READY (a class impairment reaches a session that starts while it is set). */
export function withLinksAtReady(task: Task, deps: LinksDeps): Task {
  return {
    ...task,
    async run(job) {
      await task.run(job);
      const { sessionId } = jobs.provisionSession.payload.parse(job.data);
      await linksOnViewChange(deps, sessionId).catch((error: unknown) =>
        log.error({ workerId: deps.workerId, sessionId, err: error }, `links at ready failed: ${(error as Error).message}`),
      );
    },
  };
}

/** The host terminal's `link` command, for the session endpoints (sessionApi/handlers/link.ts). */
export function linkCommand(deps: LinksDeps): (sessionId: string, args: string[]) => Promise<LinkAnswer> {
  return (sessionId, args) =>
    runLinkCommand(
      { db: deps.db, readView: (id) => readEngineView(deps.provisioner, id), apply: (id) => applySessionLinks(deps, id) },
      sessionId,
      args,
    );
}
