// A Check or Submit request as the page sees it: the id the mutation returned, and where that run
// is. The only module that spells a run's status (the database's CheckRunStatus uses the same
// words). Browser-safe.

export const RunStatus = {
  /** Enqueued; no worker has started it. */
  queued: "queued",
  /** A worker is running its checks. */
  running: "running",
  /** Every check it ran holds (a Submit: full marks). */
  passed: "passed",
  /** At least one check does not hold. */
  failed: "failed",
  /** It could not run (the lab stopped, the engine failed, the job died); `reason` says why. */
  error: "error",
} as const;

export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export const RunKind = { check: "check", submit: "submit" } as const;
export type RunKind = (typeof RunKind)[keyof typeof RunKind];

/** Still to finish: the page shows progress. */
export const UNFINISHED_RUNS: readonly RunStatus[] = [RunStatus.queued, RunStatus.running];

export const isFinished = (status: RunStatus) => !UNFINISHED_RUNS.includes(status);

/** What the page sees of a run. */
export type RunView = {
  id: string;
  kind: RunKind;
  stepId: string | null;
  status: RunStatus;
  reason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};
