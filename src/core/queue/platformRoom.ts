// The platform's caps (MAX_ACTIVE_SESSIONS, MAX_ACTIVE_CONTAINERS) and where a session can start
// within them: one decision for a start (startSession) and for the line (admitWaiting), taken under
// the platform lock by the caller's transaction. A WAITING session holds no place: only ACTIVE counts.
import { AppError } from "~/core/errors";
import type { Prisma } from "~/generated/prisma/client";
import { placeSession, plannedContainers } from "~/core/workers/placement";
import { liveWorkers } from "~/core/workers/registry";
import { ACTIVE } from "~/protocol/sessionStatus";
import { advisoryXactLock, LOCKS } from "../advisoryLock";

type Tx = Prisma.TransactionClient;

/** The platform's caps; unlimited when not given. */
export type PlatformCaps = { maxActiveSessions?: number; maxActiveContainers?: number };

/**
 * Sessions placed and not stopped yet, and their containers, each counted from the lab it started
 * with (one that predates stored labs and is no longer offered counts as 2).
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

/** Why the caps leave no room for a session of `needed` containers (UNAVAILABLE), or undefined. */
async function capsRefusal(tx: Tx, needed: number, caps: PlatformCaps): Promise<AppError | undefined> {
  if (caps.maxActiveSessions === undefined && caps.maxActiveContainers === undefined) return undefined;
  const running = await activeContainers(tx);
  if (caps.maxActiveSessions !== undefined && running.sessions >= caps.maxActiveSessions) {
    return new AppError(
      "UNAVAILABLE",
      `The platform is full: ${running.sessions} lab sessions are running, the most it takes. Please try again in a few minutes, when other learners have stopped theirs.`,
    );
  }
  if (caps.maxActiveContainers !== undefined && running.containers + needed > caps.maxActiveContainers) {
    const free = Math.max(0, caps.maxActiveContainers - running.containers);
    return new AppError(
      "UNAVAILABLE",
      `The platform is full: this lab needs ${needed} containers and ${free} of ${caps.maxActiveContainers} are free. Please try again in a few minutes, or start a lab with fewer containers.`,
    );
  }
  return undefined;
}

/**
 * Why a session of `needed` containers can never start here, whatever stops (UNAVAILABLE), or
 * undefined: it needs more than MAX_ACTIVE_CONTAINERS, or more than every live worker holds. With no
 * live worker, the hosts cannot be judged: only the cap can say never.
 */
async function neverFits(tx: Tx, needed: number, caps: PlatformCaps, staleSeconds: number): Promise<AppError | undefined> {
  if (caps.maxActiveContainers !== undefined && needed > caps.maxActiveContainers) {
    return new AppError(
      "UNAVAILABLE",
      `This lab needs ${needed} containers and the platform runs at most ${caps.maxActiveContainers} (MAX_ACTIVE_CONTAINERS), so it cannot start here. Please contact the operator.`,
    );
  }
  const workers = await liveWorkers(tx, staleSeconds);
  if (workers.length === 0) return undefined;
  const largest = Math.max(...workers.map((worker) => worker.capacity));
  if (needed <= largest) return undefined;
  return new AppError(
    "UNAVAILABLE",
    `This lab needs ${needed} containers and the largest lab host holds ${largest}, so it cannot start here. Please contact the operator.`,
  );
}

/**
 * A place: the worker (null: none is live, the shared queue), or why there is none (UNAVAILABLE):
 * full now, or (`never`) full whatever stops: waiting for it would block the line for ever.
 */
export type Place = { workerId: string | null } | { full: AppError; never?: true };

/**
 * Where a session of `needed` containers can start now: within the caps, on the least loaded live
 * worker with room (placement.ts). Takes the platform lock (held to the caller's commit).
 */
export async function findPlace(tx: Tx, options: { needed: number; caps: PlatformCaps; staleSeconds: number }): Promise<Place> {
  await advisoryXactLock(tx, LOCKS.platformCapacity, "all");
  const never = await neverFits(tx, options.needed, options.caps, options.staleSeconds);
  if (never) return { full: never, never: true };
  const refusal = await capsRefusal(tx, options.needed, options.caps);
  if (refusal) return { full: refusal };
  try {
    return { workerId: await placeSession(tx, { needed: options.needed, staleSeconds: options.staleSeconds }) };
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAVAILABLE") return { full: error };
    throw error;
  }
}
