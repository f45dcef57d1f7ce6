// A lab session's status machine: the only module that spells a status. Everything else names a
// status through `Status`, a group through the named sets, and a move through `MOVES` (the
// database writes that apply a move are in src/core/sessions/transitions.ts). Browser-safe.

export const Status = {
  /** Every lab host was full: waiting in line for a place (no worker, no job yet). */
  waiting: "WAITING",
  /** Row written, provision job enqueued. */
  queued: "QUEUED",
  /** A worker claimed the job. */
  provisioning: "PROVISIONING",
  /** Containers running; terminals, checks and sharing work. */
  ready: "READY",
  /** Teardown job enqueued. */
  stopping: "STOPPING",
  /** Everything removed. */
  stopped: "STOPPED",
  /** Provisioning failed, or a running session lost its containers; statusReason says why. */
  failed: "FAILED",
} as const;

export type SessionStatus = (typeof Status)[keyof typeof Status];
export const SESSION_STATUSES = Object.values(Status) as readonly SessionStatus[];

/** Not yet stopped: counts against the learner's and the platform's limits. */
export const ACTIVE: readonly SessionStatus[] = [Status.queued, Status.provisioning, Status.ready, Status.stopping];
/** Waiting for a worker: the page shows progress. */
export const IN_PROGRESS: readonly SessionStatus[] = [Status.queued, Status.provisioning, Status.stopping];
/** Being set up: a provision job may still move it. */
export const STARTING: readonly SessionStatus[] = [Status.queued, Status.provisioning];
/** Starting or running: what expiry stops (a failed session keeps its reason). */
export const LIVE: readonly SessionStatus[] = [Status.queued, Status.provisioning, Status.ready];
/** Over, or on its way out: no new terminals, checks or invites. */
export const ENDING: readonly SessionStatus[] = [Status.stopping, Status.stopped];
/** Finished, for good or ill: nothing will change it again. */
export const SETTLED: readonly SessionStatus[] = [Status.stopped, Status.failed];
/** Owned by a worker: reconcile compares these with its engine. */
export const ON_A_WORKER: readonly SessionStatus[] = [Status.provisioning, Status.ready, Status.stopping];

/** Each allowed move: where it may start and where it lands. A move from anywhere else is refused. */
export const MOVES = {
  /** A worker claimed the provision job. */
  claim: { from: STARTING, to: Status.provisioning },
  /** Provisioning finished. */
  ready: { from: STARTING, to: Status.ready },
  /** Provisioning gave up. */
  fail: { from: STARTING, to: Status.failed },
  /** A running session's containers are gone from its engine. */
  lose: { from: [Status.ready], to: Status.failed },
  /** The learner, expiry or an operator asked for a stop (teardown enqueued). */
  requestStop: { from: [Status.queued, Status.provisioning, Status.ready, Status.failed], to: Status.stopping },
  /** Everything is removed. */
  stopped: { from: [Status.queued, Status.provisioning, Status.ready, Status.stopping, Status.failed], to: Status.stopped },
} as const satisfies Record<string, { from: readonly SessionStatus[]; to: SessionStatus }>;

export type Move = keyof typeof MOVES;

export function canMove(move: Move, from: SessionStatus): boolean {
  return (MOVES[move].from as readonly SessionStatus[]).includes(from);
}

export const isIn = (status: SessionStatus, set: readonly SessionStatus[]) => set.includes(status);
export const isRunning = (status: SessionStatus) => status === Status.ready;
export const hasFailed = (status: SessionStatus) => status === Status.failed;
