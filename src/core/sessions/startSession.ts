import { catalog, findLab } from "~/core/labs/catalog";
import { labOfSession, sessionLabColumns } from "~/core/labs/sessionLab";
import { HELD, Status, WAITING_OR_LIVE } from "~/protocol/sessionStatus";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { enqueue } from "~/core/jobs/enqueue";
import { sessionContainerCount } from "~/core/labs/schema";
import { platformCapsSchema, workerLivenessSchema } from "~/core/settings";
import { placeOrJoinLine, WAITING_REASON } from "~/core/queue/joinLine";
import { claimPooledSession } from "~/core/pool/claimPooledSession";
import { advisoryXactLock, LOCKED_TRANSACTION, LOCKS } from "../advisoryLock";
import { inTurn } from "../inTurn";
import { newSessionParams } from "./sessionParams";
import { QUEUED_REASON } from "./transitions";
import { sessionViewOf, type SessionView } from "./sessionView";

/** This process's starts, one transaction at a time (they serialise on the platform lock anyway). */
const startsInTurn = inTurn();

/** WORKER_STALE_SECONDS when the caller does not say (its default). */
const DEFAULT_STALE_SECONDS = workerLivenessSchema.parse({}).WORKER_STALE_SECONDS;
/** MAX_WAITING_SESSIONS when the caller does not say (its default): the line is bounded all the same. */
const DEFAULT_MAX_WAITING = platformCapsSchema.parse({}).MAX_WAITING_SESSIONS;

/**
 * Creates the session row and its provision job in one transaction. The limits are decided inside
 * it under advisory locks held to commit: the learner's (their active-session limit), then the
 * platform's (its session and container caps, and the placement on a worker: placement.ts), so
 * parallel starts cannot all see room for one more. The job goes to the placed worker's queue (the
 * shared one when no worker is registered yet: whichever takes it claims the session). When every
 * lab host is full, the caps are reached or others already wait, the session is written WAITING
 * instead, with no worker and no job: in line for a place (src/core/queue/).
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
  /** MAX_WAITING_SESSIONS: the most sessions in line at once (0: no line); its default when not given. */
  maxWaitingSessions?: number;
  /**
   * The class assignment it is started for (src/core/classes/startAssignment.ts): the owner's
   * session of it that is starting or running is returned instead of a second one (decided under
   * the learner's lock, so two presses start one).
   */
  classId?: string;
  assignmentId?: string;
  /** WORKER_STALE_SECONDS: a worker whose heartbeat is older gets no new session. */
  staleSeconds?: number;
  /**
   * Every lab host full or the caps reached: wait in line (WAITING, the default), or false: refuse
   * with UNAVAILABLE (an instructor's reset, which keeps the running lab rather than swap it for a wait).
   */
  waitWhenFull?: boolean;
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
  // Starts queue here, holding no connection, rather than in the transaction for the platform lock:
  // a class arriving at once (100 starts in 5 s) otherwise held every pooled connection while
  // waiting, and later starts failed to get one in time (bench/class.ts, 500s from N=100).
  const session = await startsInTurn(() =>
    db.$transaction(async (tx) => {
      await advisoryXactLock(tx, LOCKS.userSessions, userId);
      if (options.assignmentId) {
        const running = await tx.labSession.findFirst({
          where: { ownerId: userId, assignmentId: options.assignmentId, status: { in: [...WAITING_OR_LIVE] } },
          orderBy: { createdAt: "desc" },
        });
        if (running) return running;
      }
      const wait = options.waitWhenFull ?? true;
      // One place in line per learner: a second start of the same lab hands back the one waiting.
      const inLine = wait
        ? await tx.labSession.findFirst({ where: { ownerId: userId, status: Status.waiting }, orderBy: { waitingSince: "asc" } })
        : null;
      if (inLine && inLine.labSlug === lab.slug && inLine.assignmentId === (options.assignmentId ?? null)) return inLine;
      const active = await tx.labSession.count({ where: { ownerId: userId, status: { in: [...HELD] } } });
      if (active >= options.maxActivePerUser) {
        throw new AppError(
          "LIMIT_EXCEEDED",
          `You already have ${active} lab sessions running or waiting (the limit is ${options.maxActivePerUser}). Stop one to start another.`,
        );
      }
      if (inLine) {
        throw new AppError(
          "LIMIT_EXCEEDED",
          `You are already in line for ${labOfSession(inLine)?.title ?? inLine.labSlug}; cancel it to wait for another lab.`,
        );
      }
      // A ready session from the lab's pool, when it has one: READY at once, with this start's own
      // values. Not while anyone waits (strict FIFO: a newcomer never takes a place ahead of the line);
      // the line's head gets a cold start instead, in the room releasePooled makes for it.
      const anyoneWaiting = await tx.labSession.findFirst({ where: { status: Status.waiting }, select: { id: true } });
      const pooled = anyoneWaiting
        ? null
        : await claimPooledSession(tx, {
            lab,
            ownerId: userId,
            ttlMinutes: options.ttlMinutes,
            classId: options.classId,
            assignmentId: options.assignmentId,
            staleSeconds: options.staleSeconds ?? DEFAULT_STALE_SECONDS,
          });
      if (pooled) return pooled;
      const needed = sessionContainerCount(lab);
      // A place now, or the line when every lab host is full or the caps are reached (src/core/queue/).
      const place = await placeOrJoinLine(tx, boss, {
        needed,
        caps: { maxActiveSessions: options.maxActiveSessions, maxActiveContainers: options.maxActiveContainers },
        staleSeconds: options.staleSeconds ?? DEFAULT_STALE_SECONDS,
        wait,
        maxWaiting: options.maxWaitingSessions ?? DEFAULT_MAX_WAITING,
      });
      const ttlMs = options.ttlMinutes * 60_000;
      const row = await tx.labSession.create({
        data: {
          labSlug: lab.slug,
          // The lab travels with the session: later edits of its file do not change it.
          ...sessionLabColumns(lab),
          ownerId: userId,
          params: newSessionParams(),
          classId: options.classId ?? null,
          assignmentId: options.assignmentId ?? null,
          ...("waitingSince" in place
            ? // In line: no worker, no job. Its time starts when it is admitted (expiresAt - waitingSince is its TTL).
              {
                status: Status.waiting,
                waitingSince: place.waitingSince,
                expiresAt: new Date(place.waitingSince.getTime() + ttlMs),
                statusReason: WAITING_REASON,
                workerId: null,
              }
            : {
                statusReason: QUEUED_REASON,
                expiresAt: new Date(Date.now() + ttlMs),
                workerId: place.workerId,
              }),
        },
      });
      if (!("waitingSince" in place))
        await enqueue(
          boss,
          "provisionSession",
          { sessionId: row.id, labHash: row.labHash ?? undefined },
          { tx, workerId: place.workerId },
        );
      return row;
    }, LOCKED_TRANSACTION),
  );
  return sessionViewOf(db, session);
}
