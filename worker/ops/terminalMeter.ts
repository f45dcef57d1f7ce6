// What one shared terminal reports to the metrics: bytes typed into its shell and printed by it, and, sampled,
// the echo latency: input written to the shell until the shell's next output (at most one sample per terminal
// per second; a sample whose output comes more than 10 s later is dropped: that was not an echo).
import { echoLatencySeconds, terminalBytes } from "~/core/metrics/definitions";

export const ECHO_SAMPLE = { everyMs: 1000, maxMs: 10_000 };

export class TerminalMeter {
  private typedAt: number | undefined;
  private lastSampleAt = -Infinity;

  constructor(
    private readonly observeEcho: (seconds: number) => void = (seconds) => echoLatencySeconds.observe(seconds),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Input (bytes of `data`) was written to the shell. */
  typed(data: string): void {
    terminalBytes.inc({ direction: "in" }, Buffer.byteLength(data));
    const at = this.now();
    if (this.typedAt === undefined && at - this.lastSampleAt >= ECHO_SAMPLE.everyMs) this.typedAt = at;
  }

  /** The shell printed `bytes`. */
  printed(bytes: number): void {
    terminalBytes.inc({ direction: "out" }, bytes);
    if (this.typedAt === undefined) return;
    const elapsed = this.now() - this.typedAt;
    this.typedAt = undefined;
    if (elapsed > ECHO_SAMPLE.maxMs) return;
    this.lastSampleAt = this.now();
    this.observeEcho(elapsed / 1000);
  }
}
