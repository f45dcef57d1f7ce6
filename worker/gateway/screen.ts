// The server's copy of a terminal's screen (headless xterm.js): late joiners and reconnecting
// clients get it in one message. Serialising is the expensive part, so a serialisation is reused
// until the screen changes (new output or a new size).
// Output is parsed on the worker's main thread, so it is guarded (screenInput.ts: counts cut at
// the screen's size, DECALN dropped) and fed in bounded, timed steps within a parse-time budget
// (screenFeeder.ts); until it is parsed it counts as this screen's backlog for flow control.
// A live headless terminal costs a few hundred KB whatever it shows, so a screen that has had no
// output for `screenLimits.idleMs` sleeps: it keeps only its serialisation (a few KB for a screen
// of output) and wakes, restored from it, at the next output or resize. What the serialisation
// does not carry is lost on the way (tab stops, character sets, the cursor saved by ESC 7).
import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";
import type { TerminalSize } from "~/protocol/terminalProtocol";
import { ScreenFeeder, screenFeeds, type FeedScheduler, type FeedStats } from "./screenFeeder";
import { guardParser } from "./screenInput";

export const screenLimits = {
  /** A screen with no output (nor resize) for this long sleeps. */
  idleMs: 15_000,
  /** How often the worker looks for idle screens. */
  sweepEveryMs: 5_000,
  /**
   * Screens holding more cells than this (scrollback included) stay awake: serialising them costs
   * milliseconds on the event loop, and they are not the idle screens of one screenful this is for.
   */
  maxCellsToSleep: 100_000,
};

type SyncCore = {
  writeSync(data: string): void;
  /** Read to decide whether plain output may be skipped (screenInput.ts `plainSkip`); checked at construction. */
  _inputHandler: { _parser: { currentState: number } };
  buffer: { scrollTop: number; scrollBottom: number };
};
const GROUND = 0; // xterm's ParserState.GROUND

type Live = { terminal: headless.Terminal; serializer: serialize.SerializeAddon; core: SyncCore };

function liveTerminal(size: TerminalSize, scrollback: number): Live {
  const terminal = new headless.Terminal({ ...size, scrollback, allowProposedApi: true, logLevel: "off" });
  const serializer = new serialize.SerializeAddon();
  terminal.loadAddon(serializer);
  // xterm's synchronous parse (its core's; the public write parses later, untimed).
  const core = (terminal as unknown as { _core?: Partial<SyncCore> })._core;
  if (typeof core?.writeSync !== "function") throw new Error("@xterm/headless: the core's writeSync is gone; see screen.ts");
  if (typeof core._inputHandler?._parser?.currentState !== "number" || typeof core.buffer?.scrollBottom !== "number")
    throw new Error("@xterm/headless: the core's parser state or scroll region is gone; see screen.ts");
  return { terminal, serializer, core: core as SyncCore };
}

/** Every screen of this process, for the sweep that puts idle ones to sleep. */
const screens = new Set<Screen>();
let sweep: NodeJS.Timeout | undefined;
function track(screen: Screen) {
  screens.add(screen);
  // One screen per event-loop turn: I/O and the terminals are served between two serialisations.
  sweep ??= setInterval(() => {
    const idle = [...screens];
    const next = () => {
      const screen = idle.shift();
      if (!screen) return;
      screen.sleepIfIdle(performance.now());
      setImmediate(next);
    };
    next();
  }, screenLimits.sweepEveryMs).unref();
}
function untrack(screen: Screen) {
  screens.delete(screen);
  if (screens.size === 0) {
    clearInterval(sweep);
    sweep = undefined;
  }
}

export class Screen {
  private live: Live | undefined;
  /** While asleep: the serialisation it was put to sleep with (screen, scrollback, modes). */
  private asleep: string | undefined;
  private size: TerminalSize;
  private lastActive = performance.now();
  private readonly feeder: ScreenFeeder;
  private cached: { key: string; data: string } | undefined;
  /** How many times the screen was serialised (for tests and metrics). */
  serializations = 0;
  /** How many times it slept (for tests and metrics). */
  sleeps = 0;

  constructor(
    size: TerminalSize,
    private readonly scrollback: number,
    /** The screen's answers to the shell's terminal queries (cursor position, device attributes). */
    private readonly onReply: (reply: string) => void,
    private readonly scheduler: FeedScheduler = screenFeeds,
  ) {
    this.size = size;
    this.feeder = new ScreenFeeder(
      {
        size: () => this.size,
        insertMode: () => this.awake().terminal.modes.insertMode,
        parse: (text) => this.awake().core.writeSync(text),
        skipState: () => {
          const { terminal, core } = this.awake();
          const { modes, rows, cols } = terminal;
          const plain =
            core._inputHandler._parser.currentState === GROUND &&
            modes.wraparoundMode &&
            !modes.insertMode &&
            core.buffer.scrollTop === 0 &&
            core.buffer.scrollBottom === rows - 1;
          return plain ? { cols, keepLines: scrollback + 2 * rows } : undefined;
        },
      },
      scheduler,
    );
    this.awake();
    track(this);
  }

  /** Whether the screen sleeps now (only its serialisation is kept). */
  get sleeping(): boolean {
    return this.asleep !== undefined;
  }

  /** The live terminal, woken from its serialisation if it slept. */
  private awake(): Live {
    if (this.live) return this.live;
    const started = performance.now();
    const live = liveTerminal(this.size, this.scrollback);
    if (this.asleep !== undefined) live.core.writeSync(this.asleep);
    this.asleep = undefined;
    live.terminal.onData(this.onReply);
    guardParser(live.terminal, (kind) => {
      this.feeder.stats[kind]++;
      this.scheduler.stats[kind]++;
    });
    this.live = live;
    this.feeder.charge(performance.now() - started);
    return live;
  }

  /**
   * Puts the screen to sleep when it has had nothing to do for `idleMs` before `now` and nothing is
   * queued or half-parsed; returns whether it sleeps.
   */
  sleepIfIdle(now: number, idleMs = screenLimits.idleMs): boolean {
    const live = this.live;
    if (!live || now - this.lastActive < idleMs || this.feeder.pending) return this.sleeping;
    if (live.core._inputHandler._parser.currentState !== GROUND) return false;
    if (live.terminal.buffer.active.length * live.terminal.cols > screenLimits.maxCellsToSleep) return false;
    const started = performance.now();
    let data = live.serializer.serialize({ scrollback: this.scrollback });
    const { scrollTop, scrollBottom } = live.core.buffer;
    // The scroll region is not serialised: set it again, keeping the cursor (DECSTBM homes it).
    if (scrollTop !== 0 || scrollBottom !== live.terminal.rows - 1)
      data += `\x1b7\x1b[${scrollTop + 1};${scrollBottom + 1}r\x1b8`;
    live.terminal.dispose();
    this.live = undefined;
    this.cached = undefined;
    this.asleep = data;
    this.sleeps++;
    this.feeder.charge(performance.now() - started);
    return true;
  }

  /** Queues output for the screen; `parsed` runs once all of it has been parsed. */
  write(text: string, parsed: () => void) {
    this.lastActive = performance.now();
    this.feeder.write(text, parsed);
  }

  /** Resolves once everything written so far is parsed. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.feeder.whenParsed(resolve));
  }

  resize(size: TerminalSize) {
    this.lastActive = performance.now();
    const { terminal } = this.awake();
    this.size = size;
    // A resize reflows the scrollback (up to tens of ms at the largest size): charged to the budget.
    const started = performance.now();
    terminal.resize(size.cols, size.rows);
    this.feeder.charge(performance.now() - started);
  }

  /** The screen and its scrollback as escape sequences; `offset` identifies what has been parsed. */
  serialize(offset: number): string {
    const key = `${offset}/${this.size.cols}x${this.size.rows}`;
    if (this.cached?.key !== key) {
      if (this.asleep !== undefined) return this.asleep; // nothing has changed since it was serialised
      this.serializations++;
      const started = performance.now();
      this.cached = { key, data: this.awake().serializer.serialize({ scrollback: this.scrollback }) };
      this.feeder.charge(performance.now() - started);
    }
    return this.cached.data;
  }

  /** The guard's and the feeder's counters for this screen (tests and metrics). */
  get stats(): Readonly<FeedStats> {
    return this.feeder.stats;
  }

  /** Characters written and not yet parsed. */
  get backlog(): number {
    return this.feeder.backlog;
  }

  dispose() {
    untrack(this);
    this.cached = undefined;
    this.asleep = undefined;
    this.feeder.dispose();
    this.live?.terminal.dispose();
    this.live = undefined;
  }
}
