// What the dashboard benchmark's load generator (bench/dashboardLoad.ts, its own process) tells
// the benchmark about each write it made: one JSON line per event on its stdout.

/** The wall clock in ms with sub-ms resolution, comparable between processes of one machine (Date.now() has 1 ms). */
export const wallClock = () => performance.timeOrigin + performance.now();

export type LoadEventKind = "activity" | "help" | "helpClear" | "check" | "checkFailed" | "submission";

/** What a dashboard row of the session shows once it reflects the event (absent: nothing visible changes). */
export type Expect =
  | { lastActivityAt: number }
  | { helpMessage: string }
  | { help: false }
  | { checksPassed: number }
  /** improves: the best score rose (without an attempt count on the row, only then is it visible). */
  | { attempts: number; bestScore: number; improves: boolean };

export type LoadEvent = {
  seq: number;
  sessionId: string;
  kind: LoadEventKind;
  /** wallClock() just before the write. */
  t0: number;
  /** wallClock() once its transaction committed. */
  committedAt: number;
  expect?: Expect;
};

/** The wireroom_session notification kind each event's commit sends (the raw baseline waits for it). */
export const notificationKind: Record<LoadEventKind, "status" | "result" | "submission"> = {
  activity: "status",
  help: "status",
  helpClear: "status",
  check: "result",
  checkFailed: "result",
  submission: "submission",
};

export type LoadLine = { event: LoadEvent } | { started: number } | { finished: number };
