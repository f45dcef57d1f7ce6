// A lab session's status machine: the only module that spells a status. Everything else names a
// status through `Status`, a group through the named sets, and a move through `MOVES` (the
// database writes that apply a move are in src/core/sessions/transitions.ts). Browser-safe.

export const Status = {
  /**
   * In line for a place (no worker, no job yet): at its start every lab host was full, or the
   * platform's caps were reached, or others were already waiting (strict FIFO: it joined behind them).
   */
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

/**
 * Placed and not yet stopped: counts against the platform's caps and a lab host's load. A WAITING
 * session holds no place (it is in line for one), so it is not here.
 */
export const ACTIVE: readonly SessionStatus[] = [Status.queued, Status.provisioning, Status.ready, Status.stopping];
/** In line or not yet stopped: counts against the learner's own limit (one cannot queue many). */
export const HELD: readonly SessionStatus[] = [Status.waiting, ...ACTIVE];
/** Waiting for a place or a worker: the page shows progress. */
export const IN_PROGRESS: readonly SessionStatus[] = [Status.waiting, Status.queued, Status.provisioning, Status.stopping];
/** Being set up: a provision job may still move it. */
export const STARTING: readonly SessionStatus[] = [Status.queued, Status.provisioning];
/**
 * Starting or running: what expiry stops (a failed session keeps its reason; a WAITING one gets its
 * time when it is admitted, so it never expires in line).
 */
export const LIVE: readonly SessionStatus[] = [Status.queued, Status.provisioning, Status.ready];
/** In line, starting or running: the learner's session of an assignment (a second Start hands it back). */
export const WAITING_OR_LIVE: readonly SessionStatus[] = [Status.waiting, ...LIVE];
/** Over, or on its way out: no new terminals, checks or invites. */
export const ENDING: readonly SessionStatus[] = [Status.stopping, Status.stopped];
/** Finished, for good or ill: nothing will change it again. */
export const SETTLED: readonly SessionStatus[] = [Status.stopped, Status.failed];
/** Owned by a worker: reconcile compares these with its engine. */
export const ON_A_WORKER: readonly SessionStatus[] = [Status.provisioning, Status.ready, Status.stopping];

/** Each allowed move: where it may start and where it lands. A move from anywhere else is refused. */
export const MOVES = {
  /** A place freed: the first in line is placed on a worker and its provision job enqueued (src/core/queue/admitWaiting.ts). */
  admit: { from: [Status.waiting], to: Status.queued },
  /** Stopped while in line: nothing is on an engine, so it is over at once. */
  leaveLine: { from: [Status.waiting], to: Status.stopped },
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

/** Whoever may stop it can now: a stop request (teardown) or, in line, leaving the line. */
export const STOPPABLE: readonly SessionStatus[] = [...MOVES.requestStop.from, ...MOVES.leaveLine.from];

export function canMove(move: Move, from: SessionStatus): boolean {
  return (MOVES[move].from as readonly SessionStatus[]).includes(from);
}

export const isIn = (status: SessionStatus, set: readonly SessionStatus[]) => set.includes(status);
export const isRunning = (status: SessionStatus) => status === Status.ready;
export const hasFailed = (status: SessionStatus) => status === Status.failed;
