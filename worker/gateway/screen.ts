// The server's copy of a terminal's screen (headless xterm.js): late joiners and reconnecting
// clients get it in one message. Serialising is the expensive part, so a serialisation is reused
// until the screen changes (new output or a new size).
// Output is parsed on the worker's main thread, so it is guarded (screenInput.ts: counts cut at
// the screen's size, DECALN dropped) and fed in bounded, timed steps within a parse-time budget
// (screenFeeder.ts); until it is parsed it counts as this screen's backlog for flow control.
import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";
import type { TerminalSize } from "~/protocol/terminalProtocol";
import { ScreenFeeder, screenFeeds, type FeedScheduler, type FeedStats } from "./screenFeeder";
import { guardParser } from "./screenInput";

type SyncCore = { writeSync(data: string): void };

export class Screen {
  private readonly terminal: headless.Terminal;
  private readonly serializer = new serialize.SerializeAddon();
  private readonly feeder: ScreenFeeder;
  private cached: { key: string; data: string } | undefined;
  /** How many times the screen was serialised (for tests and metrics). */
  serializations = 0;

  constructor(
    size: TerminalSize,
    private readonly scrollback: number,
    /** The screen's answers to the shell's terminal queries (cursor position, device attributes). */
    onReply: (reply: string) => void,
    scheduler: FeedScheduler = screenFeeds,
  ) {
    this.terminal = new headless.Terminal({ ...size, scrollback, allowProposedApi: true, logLevel: "off" });
    this.terminal.loadAddon(this.serializer);
    this.terminal.onData(onReply);
    // xterm's synchronous parse (its core's; the public write parses later, untimed).
    const core = (this.terminal as unknown as { _core?: Partial<SyncCore> })._core;
    if (typeof core?.writeSync !== "function") throw new Error("@xterm/headless: the core's writeSync is gone; see screen.ts");
    const sync = core as SyncCore;
    this.feeder = new ScreenFeeder(
      {
        size: () => ({ cols: this.terminal.cols, rows: this.terminal.rows }),
        insertMode: () => this.terminal.modes.insertMode,
        parse: (text) => sync.writeSync(text),
      },
      scheduler,
    );
    guardParser(this.terminal, (kind) => {
      this.feeder.stats[kind]++;
      scheduler.stats[kind]++;
    });
  }

  /** Queues output for the screen; `parsed` runs once all of it has been parsed. */
  write(text: string, parsed: () => void) {
    this.feeder.write(text, parsed);
  }

  /** Resolves once everything written so far is parsed. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.feeder.whenParsed(resolve));
  }

  resize(size: TerminalSize) {
    // A resize reflows the scrollback (up to tens of ms at the largest size): charged to the budget.
    const started = performance.now();
    this.terminal.resize(size.cols, size.rows);
    this.feeder.charge(performance.now() - started);
  }

  /** The screen and its scrollback as escape sequences; `offset` identifies what has been parsed. */
  serialize(offset: number): string {
    const key = `${offset}/${this.terminal.cols}x${this.terminal.rows}`;
    if (this.cached?.key !== key) {
      this.serializations++;
      const started = performance.now();
      this.cached = { key, data: this.serializer.serialize({ scrollback: this.scrollback }) };
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
    this.cached = undefined;
    this.feeder.dispose();
    this.terminal.dispose();
  }
}
