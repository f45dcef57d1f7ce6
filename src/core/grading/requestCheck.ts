import { randomUUID } from "node:crypto";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { findLab } from "~/core/labs/catalog";
import type { Boss } from "~/core/jobs/boss";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { labPoints } from "~/core/labs/schema";
import { advisoryXactLock, LOCKED_TRANSACTION, LOCKS } from "../advisoryLock";
import { getSessionAccess } from "../sessions/getSessionAccess";

async function runningLab(options: { db: Db; userId: string; sessionId: string }, allowed: string[]) {
  const { session, access } = await getSessionAccess(options);
  if (!allowed.includes(access)) throw new AppError("FORBIDDEN", "Watchers cannot run checks or submit; the lab's owner can.");
  if (session.status !== "READY") throw new AppError("CONFLICT", "The lab is not running: checks need its containers.");
  const lab = findLab(session.labSlug);
  if (!lab) throw new AppError("NOT_FOUND", `The lab "${session.labSlug}" is no longer offered.`);
  return { session, lab };
}

type CheckRequest = { db: Db; boss: Boss; userId: string; sessionId: string; stepId: string };
type CheckRequested = { stepId: string; requestedAt: Date; coalesced: boolean };

/** Presses being handled by this web process, by learner, session and step. */
const pressesInFlight = new Map<string, Promise<CheckRequested>>();

/**
 * "Check" on a step: its checks run on the worker; results appear in the session's progress. One
 * check per session and step runs at a time and one more waits (queue policy `stately`); a press
 * while one waits joins it (`coalesced`): that waiting run reads the containers after this press.
 * Presses by the same learner that arrive while one is being handled here join it before any query,
 * so a burst of presses costs this process one request's work, not one per press.
 */
export function requestCheck(options: CheckRequest): Promise<CheckRequested> {
  const key = JSON.stringify([options.userId, options.sessionId, options.stepId]);
  const pending = pressesInFlight.get(key);
  if (pending) return pending.then((result) => ({ ...result, coalesced: true }));
  const press = enqueueCheck(options).finally(() => pressesInFlight.delete(key));
  pressesInFlight.set(key, press);
  return press;
}

async function enqueueCheck(options: CheckRequest): Promise<CheckRequested> {
  const { lab } = await runningLab(options, ["owner", "driver", "instructor"]);
  if (!lab.steps.some((s) => s.id === options.stepId)) {
    throw new AppError("NOT_FOUND", `This lab has no step "${options.stepId}". Steps: ${lab.steps.map((s) => s.id).join(", ")}.`);
  }
  const id = await enqueueUnlessInFlight(options.boss, "checkStep", { sessionId: options.sessionId, stepId: options.stepId });
  return { stepId: options.stepId, requestedAt: new Date(), coalesced: id === null };
}

/** The least time between two Submissions of one session. */
export const SUBMIT_INTERVAL_MS = 10_000;

/**
 * "Submit": the worker grades the lab and writes the Submission; the client waits for it to appear.
 * Per session, one submission is graded at a time (queue policy `exclusive`) and a new one waits
 * SUBMIT_INTERVAL_MS after the last. Both are decided under a lock on the session, job first: a
 * finished job has written its Submission, so the interval sees it; the refused job rolls back.
 */
export async function requestSubmission(options: { db: Db; boss: Boss; userId: string; sessionId: string }) {
  const { lab } = await runningLab(options, ["owner"]);
  if (labPoints(lab) === 0) throw new AppError("BAD_REQUEST", "This lab is a playground: it has nothing to grade.");
  const requestId = randomUUID();
  const { sessionId } = options;
  await options.db.$transaction(async (tx) => {
    await advisoryXactLock(tx, LOCKS.sessionSubmit, sessionId);
    const id = await enqueueUnlessInFlight(options.boss, "submitSession", { sessionId, userId: options.userId, requestId }, { tx });
    if (!id) {
      throw new AppError("LIMIT_EXCEEDED", "Your submission is being graded; its score appears in a moment. Submit again after it if you have changed something.");
    }
    const last = await tx.submission.findFirst({ where: { sessionId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    const elapsed = last ? Date.now() - last.createdAt.getTime() : Infinity;
    if (elapsed < SUBMIT_INTERVAL_MS) {
      const ago = Math.max(0, Math.floor(elapsed / 1000));
      const wait = Math.max(1, Math.ceil((SUBMIT_INTERVAL_MS - elapsed) / 1000));
      throw new AppError("LIMIT_EXCEEDED", `You submitted ${ago} s ago; try again in ${wait} s.`);
    }
  }, LOCKED_TRANSACTION);
  return { requestId };
}
