import { describe, expect, it } from "vitest";
import { FeedScheduler, ScreenFeeder, feedLimits, type FeedClock } from "./screenFeeder";

/** A clock whose time moves only when the fake screen parses (by its cost) or a test waits. */
function fakeClock() {
  let now = 0;
  const immediates: (() => void)[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  const clock: FeedClock = {
    now: () => now,
    defer: (fn) => void immediates.push(fn),
    after: (ms, fn) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  return {
    clock,
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
    /** Runs one event-loop turn: due timers, then the immediates queued before it. */
    turn() {
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
      for (const fn of immediates.splice(0)) fn();
    },
    /** Turns until idle, jumping to the next timer when only timers are left; returns the turns. */
    run(limit = 100_000) {
      let turns = 0;
      while (turns++ < limit) {
        if (immediates.length === 0) {
          if (timers.length === 0) return turns;
          now = Math.max(now, Math.min(...timers.map((t) => t.at)));
        }
        this.turn();
      }
      throw new Error("never idle");
    },
  };
}

/** A screen whose parse costs `msPerChar` per character (an `expensive` character costs more). */
function fakeScreen(time: ReturnType<typeof fakeClock>, msPerChar: number, expensive = { char: "", ms: 0 }) {
  const parsed: string[] = [];
  return {
    parsed,
    sink: {
      size: () => ({ cols: 80, rows: 24 }),
      insertMode: () => false,
      parse(text: string) {
        parsed.push(text);
        for (const c of text) time.advance(c === expensive.char ? expensive.ms : msPerChar);
      },
    },
  };
}

describe("ScreenFeeder", () => {
  it("parses everything in order, calls back once each write is parsed, and settles after", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const screen = fakeScreen(time, 0.0002);
    const feeder = new ScreenFeeder(screen.sink, scheduler);
    const events: string[] = [];
    feeder.write("a".repeat(20_000), () => events.push("first"));
    feeder.whenParsed(() => events.push("settled"));
    feeder.write("tail", () => events.push("second"));
    expect(events).toEqual([]); // nothing is parsed in the caller's turn
    time.run();
    expect(screen.parsed.join("")).toBe("a".repeat(20_000) + "tail");
    expect(events).toEqual(["first", "settled", "second"]);
    expect(feeder.stats.steps).toBeGreaterThanOrEqual(3); // 20,000 characters are more than one step
  });

  it("keeps every step near the target when the cost per character jumps, and shrinks its steps at once", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const feeder = new ScreenFeeder(fakeScreen(time, 0.0002).sink, scheduler);
    feeder.write("a".repeat(50_000));
    time.run();
    const cheapUnits = feeder.stepUnits;
    // Same text, now 20× as costly per character (a slower machine, insert mode…).
    const slow = new ScreenFeeder(fakeScreen(time, 0.004).sink, scheduler);
    slow.write("a".repeat(50_000));
    time.run();
    expect(slow.stats.maxStepMs).toBeLessThanOrEqual(feedLimits.maxUnits * 0.004); // the first step, before it learnt
    expect(cheapUnits).toBe(feedLimits.maxUnits);
    expect(Math.abs(slow.stepUnits - feedLimits.targetMs / 0.004)).toBeLessThanOrEqual(1); // steps of targetMs
  });

  it("holds a whole-screen sequence to a step of its own", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const screen = fakeScreen(time, 0.0002, { char: "\x1b", ms: 3 });
    const feeder = new ScreenFeeder(screen.sink, scheduler);
    feeder.write("x".repeat(4000) + "\x1b[2J".repeat(3) + "y".repeat(10));
    time.run();
    expect(screen.parsed).toEqual(["x".repeat(4000), "\x1b", "[2J", "\x1b", "[2J", "\x1b", "[2J" + "y".repeat(10)]);
    expect(feeder.stats.maxStepMs).toBeLessThan(3.5);
  });

  it("over its budget, a screen is not fed until it has earned a step again; others are fed meanwhile", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const attacker = new ScreenFeeder(fakeScreen(time, 0.01).sink, scheduler); // 1 ms per 100 characters
    const neighbour = fakeScreen(time, 0.0002);
    const other = new ScreenFeeder(neighbour.sink, scheduler);
    attacker.write("a".repeat(100_000)); // 1 s of parsing
    let echoedAt: number | undefined;
    time.advance(1);
    for (let i = 0; i < 3; i++) time.turn(); // the attacker is fed
    other.write("echo\r\n", () => (echoedAt = time.now));
    const sentAt = time.now;
    time.run();
    expect(echoedAt! - sentAt).toBeLessThan(2 * feedLimits.targetMs + 1); // one attacker step at most before it
    expect(attacker.stats.throttled).toBeGreaterThan(0);
    // 1 s of parsing at 250 ms per second after a 250 ms burst: about 3 s.
    const rate = feedLimits.budgetMs / feedLimits.windowMs;
    expect(time.now).toBeGreaterThanOrEqual((1000 - feedLimits.budgetMs) / rate);
    expect(attacker.stats.parseMs).toBeGreaterThanOrEqual(999);
  });

  it("takes terminals in turn, one step per event-loop turn", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const order: string[] = [];
    const feeders = ["a", "b", "c"].map((name) => {
      const screen = fakeScreen(time, 0.001);
      const feeder = new ScreenFeeder({ ...screen.sink, parse: (t) => (order.push(name), screen.sink.parse(t)) }, scheduler);
      feeder.write("z".repeat(20_000));
      return feeder;
    });
    for (let i = 0; i < 6; i++) time.turn();
    expect(order).toEqual(["a", "b", "c", "a", "b", "c"]);
    expect(feeders.every((f) => f.stats.steps === 2)).toBe(true);
  });

  it("counts time spent outside steps (a resize) against the budget; a disposed feeder is never fed", () => {
    const time = fakeClock();
    const scheduler = new FeedScheduler(time.clock);
    const screen = fakeScreen(time, 0.0002);
    const feeder = new ScreenFeeder(screen.sink, scheduler);
    feeder.charge(feedLimits.budgetMs + 10);
    feeder.write("after");
    time.turn();
    expect(feeder.stats.throttled).toBe(1);
    expect(screen.parsed).toEqual([]);
    time.run();
    expect(screen.parsed).toEqual(["after"]);
    feeder.dispose();
    feeder.write("never");
    time.run();
    expect(screen.parsed).toEqual(["after"]);
  });
});
