// A draining worker (SIGTERM): placement skips it from the first step, it stops taking jobs and lets
// the running ones finish (bounded: inside compose's stop_grace_period), then hands its starting
// sessions to other workers (the sweep's step 1, src/core/workers/sweep.ts). It keeps beating until
// then: the others' sweep leaves a draining worker's sessions alone while it beats. Its running sessions stay
// on its engine: when it returns (same WORKER_ID) reconcile serves them again and terminals resume.
// The rest of the stop (terminals told to resume, endpoints closed, markStopped) is app.ts's.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { logger } from "~/core/log";
import { markDraining } from "~/core/workers/registry";
import { handBackSessions, type Moved } from "~/core/workers/sweep";
import { isProvisioningHere } from "./provisionSession";

/** How long the jobs under way may take to finish before the drain goes on without them. */
export const DRAIN_WAIT_MS = 20_000;

export type DrainReport = {
  /** Whether every job under way finished within the wait. */
  jobsFinished: boolean;
  /** Starting sessions placed on other workers. */
  handedBack: Moved[];
  /** Starting sessions left here (no other host has room, or none is live, or this process still provisions them): the others' sweep moves them later. */
  kept: string[];
};

export async function drainWorker(deps: {
  db: Db;
  boss: Boss;
  workerId: string;
  /** The queues this worker works (registerTasks' answer): its own and the shared ones. */
  queues: string[];
  staleSeconds: number;
  waitMs?: number;
}): Promise<DrainReport> {
  const { db, boss, workerId } = deps;
  const log = logger.child({ component: "drain", workerId });
  await markDraining(db, workerId);

  const waitMs = deps.waitMs ?? DRAIN_WAIT_MS;
  let timer: NodeJS.Timeout | undefined;
  const jobsFinished = await Promise.race([
    Promise.all(deps.queues.map((queue) => boss.offWork(queue, { wait: true }))).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
  ]).finally(() => clearTimeout(timer));
  if (!jobsFinished) log.warn(`jobs still running after ${waitMs / 1000} s; draining without them (their retries finish them)`);

  const handed = await handBackSessions({
    db,
    boss,
    from: workerId,
    while: "draining",
    staleSeconds: deps.staleSeconds,
    reason: (to) => `Its lab host ${workerId} is restarting; starting it on ${to}`,
    // A provision this process still runs is not moved under it; the others' sweep moves it once this worker has stopped.
    skip: isProvisioningHere,
  });
  log.info(
    { handedBack: handed.moved.length, kept: handed.waiting.length + handed.skipped.length },
    `draining: ${handed.moved.length} starting session(s) handed to other lab hosts`,
  );
  return { jobsFinished, handedBack: handed.moved, kept: [...handed.waiting, ...handed.skipped] };
}
