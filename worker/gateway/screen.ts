// The server's copy of a terminal's screen (headless xterm.js): late joiners and reconnecting
// clients get it in one message. Serialising is the expensive part, so a serialisation is reused
// until the screen changes (new output or a new size).
import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";
import type { TerminalSize } from "~/shared/terminal-protocol";

export class Screen {
  private readonly terminal: headless.Terminal;
  private readonly serializer = new serialize.SerializeAddon();
  private cached: { key: string; data: string } | undefined;
  /** How many times the screen was serialised (for tests and metrics). */
  serializations = 0;

  constructor(
    size: TerminalSize,
    private readonly scrollback: number,
    /** The screen's answers to the shell's terminal queries (cursor position, device attributes). */
    onReply: (reply: string) => void,
  ) {
    this.terminal = new headless.Terminal({ ...size, scrollback, allowProposedApi: true, logLevel: "off" });
    this.terminal.loadAddon(this.serializer);
    this.terminal.onData(onReply);
  }

  write(text: string, parsed: () => void) {
    this.terminal.write(text, parsed);
  }

  /** Resolves once everything written so far is parsed. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.terminal.write("", resolve));
  }

  resize(size: TerminalSize) {
    this.terminal.resize(size.cols, size.rows);
  }

  /** The screen and its scrollback as escape sequences; `offset` identifies what has been parsed. */
  serialize(offset: number): string {
    const key = `${offset}/${this.terminal.cols}x${this.terminal.rows}`;
    if (this.cached?.key !== key) {
      this.serializations++;
      this.cached = { key, data: this.serializer.serialize({ scrollback: this.scrollback }) };
    }
    return this.cached.data;
  }

  dispose() {
    this.cached = undefined;
    this.terminal.dispose();
  }
}
