import { catalog, findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { ACTIVE, LIVE } from "~/protocol/sessionStatus";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { sessionContainerCount } from "~/core/labs/schema";
import { workerLivenessSchema } from "~/core/settings";
import { placeSession, plannedContainers } from "~/core/workers/placement";
import { claimPooledSession } from "~/core/pool/claimPooledSession";
import { advisoryXactLock, LOCKED_TRANSACTION, LOCKS } from "../advisoryLock";
import { newSessionParams } from "./sessionParams";
import { toSessionView, type SessionView } from "./sessionView";

type Tx = Prisma.TransactionClient;

/**
 * Containers of the sessions that are not stopped yet, each counted from the lab it started with
 * (one that predates stored labs and is no longer offered counts as 2).
 */
async function activeContainers(tx: Tx): Promise<{ sessions: number; containers: number }> {
  const perWorker = await plannedContainers(tx, { status: { in: [...ACTIVE] } });
  let sessions = 0;
  let containers = 0;
  for (const total of perWorker.values()) {
    sessions += total.sessions;
    containers += total.containers;
  }
  return { sessions, containers };
}

/** WORKER_STALE_SECONDS when the caller does not say (its default). */
const DEFAULT_STALE_SECONDS = workerLivenessSchema.parse({}).WORKER_STALE_SECONDS;

/**
 * Creates the session row and its provision job in one transaction. The limits are decided inside
 * it under advisory locks held to commit: the learner's (their active-session limit), then the
 * platform's (its session and container caps, and the placement on a worker: placement.ts), so
 * parallel starts cannot all see room for one more. The job goes to the placed worker's queue (the
 * shared one when no worker is registered yet: whichever takes it claims the session).
 */
export async function startSession(options: {
  db: Db;
  boss: Boss;
  userId: string;
  labSlug: string;
  ttlMinutes: number;
  maxActivePerUser: number;
  /** The platform's caps; unlimited when not given. */
  maxActiveSessions?: number;
  maxActiveContainers?: number;
  /**
   * The class assignment it is started for (src/core/classes/startAssignment.ts): the owner's
   * session of it that is starting or running is returned instead of a second one (decided under
   * the learner's lock, so two presses start one).
   */
  classId?: string;
  assignmentId?: string;
  /** WORKER_STALE_SECONDS: a worker whose heartbeat is older gets no new session. */
  staleSeconds?: number;
}): Promise<SessionView> {
  const { db, boss, userId, labSlug } = options;
  const lab = findLab(labSlug);
  if (!lab) {
    throw new AppError(
      "NOT_FOUND",
      `There is no lab called "${labSlug}". Available labs: ${catalog()
        .labs.map((l) => l.slug)
        .join(", ")}.`,
    );
  }
  const session = await db.$transaction(async (tx) => {
    await advisoryXactLock(tx, LOCKS.userSessions, userId);
    if (options.assignmentId) {
      const running = await tx.labSession.findFirst({
        where: { ownerId: userId, assignmentId: options.assignmentId, status: { in: [...LIVE] } },
        orderBy: { createdAt: "desc" },
      });
      if (running) return running;
    }
    const active = await tx.labSession.count({ where: { ownerId: userId, status: { in: [...ACTIVE] } } });
    if (active >= options.maxActivePerUser) {
      throw new AppError(
        "LIMIT_EXCEEDED",
        `You already have ${active} running lab sessions (the limit is ${options.maxActivePerUser}). Stop one to start another.`,
      );
    }
    // A ready session from the lab's pool, when it has one: READY at once, with this start's own values.
    const pooled = await claimPooledSession(tx, {
      lab,
      ownerId: userId,
      ttlMinutes: options.ttlMinutes,
      classId: options.classId,
      assignmentId: options.assignmentId,
      staleSeconds: options.staleSeconds ?? DEFAULT_STALE_SECONDS,
    });
    if (pooled) return pooled;
    const needed = sessionContainerCount(lab);
    await advisoryXactLock(tx, LOCKS.platformCapacity, "all");
    if (options.maxActiveSessions !== undefined || options.maxActiveContainers !== undefined) {
      const running = await activeContainers(tx);
      if (options.maxActiveSessions !== undefined && running.sessions >= options.maxActiveSessions) {
        throw new AppError(
          "UNAVAILABLE",
          `The platform is full: ${running.sessions} lab sessions are running, the most it takes. Please try again in a few minutes, when other learners have stopped theirs.`,
        );
      }
      if (options.maxActiveContainers !== undefined && running.containers + needed > options.maxActiveContainers) {
        const free = Math.max(0, options.maxActiveContainers - running.containers);
        throw new AppError(
          "UNAVAILABLE",
          `The platform is full: this lab needs ${needed} containers and ${free} of ${options.maxActiveContainers} are free. Please try again in a few minutes, or start a lab with fewer containers.`,
        );
      }
    }
    const workerId = await placeSession(tx, { needed, staleSeconds: options.staleSeconds ?? DEFAULT_STALE_SECONDS });
    const row = await tx.labSession.create({
      data: {
        labSlug: lab.slug,
        // The lab travels with the session: later edits of its file do not change it.
        ...sessionLabColumns(lab),
        ownerId: userId,
        statusReason: "Waiting for a lab host",
        expiresAt: new Date(Date.now() + options.ttlMinutes * 60_000),
        params: newSessionParams(),
        classId: options.classId ?? null,
        assignmentId: options.assignmentId ?? null,
        workerId,
      },
    });
    await enqueue(boss, "provisionSession", { sessionId: row.id, labHash: row.labHash ?? undefined }, { tx, workerId });
    return row;
  }, LOCKED_TRANSACTION);
  return toSessionView(session);
}
