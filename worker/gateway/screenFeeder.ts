// Feeds the server's screens (headless xterm) their output in bounded steps, so no terminal's
// output blocks the worker's event loop for more than a few ms or takes more than its share:
// - a step parses a piece cut by estimated cost (screenInput.ts `nextPiece`) with xterm's
//   synchronous parse, and is timed exactly; the units per step adapt (shrink at once when a
//   step was slow, grow back slowly), aiming at `targetMs`;
// - one step per event-loop turn for the whole worker (`FeedScheduler`), terminals in turn, so
//   I/O and other terminals are served between any two steps;
// - each terminal has a parse-time budget (a token bucket): over it, its screen is not fed for a
//   while, its unparsed backlog grows, and flow control pauses that terminal's shell alone;
// - output queued behind is one text (writes are appended to the last one), so a flood of plain
//   output that cannot change the final screen is skipped (screenInput.ts `plainSkip`): `yes`,
//   `cat` of a big file or a stream without newlines costs what its last screens and scrollback cost.
import { nextPiece, plainSkip, weights, type ScreenSize, type SkipState } from "./screenInput";

export const feedLimits = {
  /** A step aims at this much parse time. */
  targetMs: 4,
  /** A step's estimated cost, in units of one printed character: at most / at least. */
  maxUnits: 8192,
  minUnits: 64,
  /** Parse time each terminal may use: `budgetMs` per `windowMs` on average, `budgetMs` at once. */
  budgetMs: 250,
  windowMs: 1000,
  /** Charged per step on top of its measured time (the turn's own cost). */
  stepOverheadMs: 0.02,
};
export type FeedLimits = typeof feedLimits;

export type FeedClock = {
  now(): number;
  /** Runs `fn` on a later event-loop turn, after I/O (setImmediate). */
  defer(fn: () => void): void;
  after(ms: number, fn: () => void): () => void;
};

export const realClock: FeedClock = {
  now: () => performance.now(),
  defer: (fn) => void setImmediate(fn),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** What a feeder drives: a screen that parses synchronously. */
export type ScreenSink = {
  size(): ScreenSize;
  insertMode(): boolean;
  parse(text: string): void;
  /** When plain output may be skipped now (see screenInput.ts `plainSkip`), what bounds it; else undefined. */
  skipState?(): SkipState | undefined;
};

export type FeedStats = {
  steps: number;
  maxStepMs: number;
  parseMs: number;
  /** Times a screen was over its budget and stopped being fed for a while. */
  throttled: number;
  /** Sequence counts cut at the screen's size; sequences dropped (screenInput.ts). */
  clamped: number;
  dropped: number;
  /** Characters of plain output skipped (they could not change the screen). */
  skipped: number;
};
const newStats = (): FeedStats => ({ steps: 0, maxStepMs: 0, parseMs: 0, throttled: 0, clamped: 0, dropped: 0, skipped: 0 });

/** Queued text (writes appended), `marks`: the callbacks due once `at` reaches their `end`. */
type TextItem = { text: string; at: number; marks: { end: number; parsed: () => void }[] };
type Item = TextItem | { call: () => void };
/** Consumed text is cut off the front of a queued text past this many characters. */
const TRIM_AT = 64 * 1024;

export class ScreenFeeder {
  readonly stats = newStats();
  private items: Item[] = [];
  private msPerUnit: number;
  private credit: number;
  private lastRefill: number;
  private cancelWait: (() => void) | undefined;
  private disposed = false;
  /** In the scheduler's ready queue (at most one step in flight per terminal). */
  queued = false;

  constructor(
    private readonly sink: ScreenSink,
    private readonly scheduler: FeedScheduler,
    private readonly limits: FeedLimits = feedLimits,
  ) {
    this.msPerUnit = limits.targetMs / limits.maxUnits;
    this.credit = limits.budgetMs;
    this.lastRefill = scheduler.clock.now();
  }

  /** Queues `text`; `parsed` runs once all of it has been parsed. */
  write(text: string, parsed?: () => void) {
    if (this.disposed) return;
    const last = this.items[this.items.length - 1];
    const item = last && "text" in last ? last : { text: "", at: 0, marks: [] };
    if (item !== last) this.items.push(item);
    item.text += text;
    if (parsed) item.marks.push({ end: item.text.length, parsed });
    this.wake();
  }

  /** Runs `fn` once everything queued before it has been parsed. */
  whenParsed(fn: () => void) {
    if (this.disposed) return;
    this.items.push({ call: fn });
    this.wake();
  }

  /** Whether anything is queued (text or a callback). */
  get pending(): boolean {
    return this.items.length > 0;
  }

  /** Characters queued and not yet parsed. */
  get backlog(): number {
    let n = 0;
    for (const item of this.items) if ("text" in item) n += item.text.length - item.at;
    return n;
  }

  /** Parse time spent outside steps (a resize): counted against the budget. */
  charge(ms: number) {
    this.credit -= ms;
  }

  dispose() {
    this.disposed = true;
    this.items = [];
    this.cancelWait?.();
    this.cancelWait = undefined;
  }

  private wake() {
    if (!this.cancelWait && !this.disposed) this.scheduler.ready(this);
  }

  /** Units the next step may take: the time aimed at, at the cost per unit seen lately. */
  get stepUnits(): number {
    const { targetMs, minUnits, maxUnits } = this.limits;
    return Math.max(minUnits, Math.min(maxUnits, Math.floor(targetMs / this.msPerUnit)));
  }

  /** One bounded step; true when there is more to do now. Called by the scheduler only. */
  step(): boolean {
    if (this.disposed || this.items.length === 0) return false;
    const clock = this.scheduler.clock;
    const start = clock.now();
    const { budgetMs, windowMs, targetMs } = this.limits;
    const rate = budgetMs / windowMs;
    this.credit = Math.min(budgetMs, this.credit + (start - this.lastRefill) * rate);
    this.lastRefill = start;
    if (this.credit <= 0) {
      // Over budget: not fed until it has earned one step's worth again.
      this.stats.throttled++;
      this.scheduler.stats.throttled++;
      this.cancelWait = clock.after(Math.ceil((targetMs - this.credit) / rate), () => {
        this.cancelWait = undefined;
        this.wake();
      });
      return false;
    }
    const budget = this.stepUnits;
    let units = 0;
    while (this.items.length > 0) {
      const item = this.items[0]!;
      if ("call" in item) {
        this.items.shift();
        item.call();
        continue;
      }
      const skip = this.skippable(item);
      if (skip?.from === item.at) {
        this.stats.skipped += skip.to - skip.from;
        this.scheduler.stats.skipped += skip.to - skip.from;
        item.at = skip.to;
        this.reached(item);
        continue;
      }
      const piece = nextPiece(item.text, item.at, budget - units, weights(this.sink.size(), this.sink.insertMode()), units === 0);
      const end = skip ? Math.min(piece.end, skip.from) : piece.end; // plain text before a skip: cut anywhere
      if (end === item.at) break;
      this.sink.parse(item.text.slice(item.at, end));
      units += piece.units;
      item.at = end;
      if (item.at < item.text.length) {
        this.reached(item);
        if (units >= budget || end === piece.end) break; // the step's budget is spent
        continue;
      }
      this.items.shift();
      this.reached(item);
      if (units >= budget) break;
    }
    const ms = clock.now() - start;
    this.credit -= ms + this.limits.stepOverheadMs;
    if (units > 0) this.learn(ms / units);
    for (const stats of [this.stats, this.scheduler.stats]) {
      stats.steps++;
      stats.parseMs += ms;
      stats.maxStepMs = Math.max(stats.maxStepMs, ms);
    }
    return this.items.length > 0;
  }

  /** Runs the callbacks of what has been parsed (or skipped), and cuts consumed text off a long queue. */
  private reached(item: TextItem) {
    while (item.marks.length > 0 && item.marks[0]!.end <= item.at) item.marks.shift()!.parsed();
    if (item.at >= TRIM_AT && item.at < item.text.length) {
      item.text = item.text.slice(item.at);
      for (const mark of item.marks) mark.end -= item.at;
      item.at = 0;
    }
  }

  /** The part of `item` ahead that plain-output skipping may leave unparsed, if any. */
  private skippable(item: TextItem): { from: number; to: number } | undefined {
    const state = this.sink.skipState?.();
    return state && plainSkip(item.text, item.at, state);
  }

  /** Slow steps shrink the next ones at once; cheap ones let them grow back gradually. */
  private learn(observed: number) {
    const floor = this.limits.targetMs / this.limits.maxUnits;
    this.msPerUnit = Math.max(floor, observed > this.msPerUnit ? observed : this.msPerUnit * 0.8 + observed * 0.2);
  }
}

/** One step per event-loop turn for all of a worker's screens, taken in turn. */
export class FeedScheduler {
  readonly stats = newStats();
  private queue: ScreenFeeder[] = [];
  private turnPending = false;

  constructor(readonly clock: FeedClock = realClock) {}

  ready(feeder: ScreenFeeder) {
    if (!feeder.queued) {
      feeder.queued = true;
      this.queue.push(feeder);
    }
    this.schedule();
  }

  private schedule() {
    if (this.turnPending || this.queue.length === 0) return;
    this.turnPending = true;
    this.clock.defer(() => this.turn());
  }

  private turn() {
    this.turnPending = false;
    const feeder = this.queue.shift();
    if (feeder) {
      feeder.queued = false;
      try {
        if (feeder.step()) this.ready(feeder);
      } finally {
        this.schedule();
      }
    }
  }
}

/** The worker's scheduler (its stats are the sum over its screens). */
export const screenFeeds = new FeedScheduler();
