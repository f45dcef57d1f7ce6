// The browser terminal's connection decisions, without a socket so they can be tested.
import { MAX_TERMINAL_SIZE, type TerminalSize } from "~/protocol/terminalProtocol";

/** How long to wait before reconnecting after the gateway refused us (null: waiting cannot help). */
export function retryAfterRefusal(reason: string | undefined): number | null {
  if (reason === "rate-limited") return 3000; // the gateway allows a burst, then one every 2 s
  if (reason === "limit") return 5000; // the terminal or session is full
  if (reason === "expired") return 0; // every attempt mints a fresh token
  return null;
}

/** The size to ask for: a window wider or taller than the largest shared size gets the largest (the rest stays blank). */
export function sharedSize(cols: number, rows: number): TerminalSize {
  return { cols: Math.min(cols, MAX_TERMINAL_SIZE.cols), rows: Math.min(rows, MAX_TERMINAL_SIZE.rows) };
}

/** Reconnecting while the lab host restarts: after 1, 2, 4, 8 s, then every 10 s, for up to 5 minutes. */
export const RESUME = { firstDelayMs: 1000, maxDelayMs: 10_000, forMs: 5 * 60_000 } as const;
export const RESUME_GAVE_UP = "the lab host did not come back within 5 minutes; reload the page to try again";

/** The wait before resume attempt `attempt` (0 first), `elapsedMs` after the host went away; null once past RESUME.forMs. */
export function resumeDelay(attempt: number, elapsedMs: number): number | null {
  const delay = Math.min(RESUME.firstDelayMs * 2 ** attempt, RESUME.maxDelayMs);
  return elapsedMs + delay > RESUME.forMs ? null : delay;
}

/**
 * Whether a failed terminal-token request is a refusal that trying again cannot change (the session
 * stopped or failed, access withdrawn: an answer 4xx other than 429), rather than a web that did not answer.
 */
export function refusedForGood(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 429;
}

/** One resume attempt's outcome: connected, or not (yet); `giveUp`: why trying again cannot help. */
export type ResumeOutcome = { resumed: true } | { resumed: false; giveUp?: string };

/**
 * Reconnects after the lab host went away to restart: waits (resumeDelay), tries once, and again,
 * until an attempt resumes, one says to give up, or RESUME.forMs have passed. One loop at a time.
 */
export class ResumeLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt = 0;
  private attempt = 0;
  private running = false;

  constructor(
    private readonly tryOnce: () => Promise<ResumeOutcome>,
    private readonly finished: (result: { resumed: true } | { resumed: false; reason: string }) => void,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.startedAt = Date.now();
    this.attempt = 0;
    this.schedule();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule() {
    const delay = resumeDelay(this.attempt, Date.now() - this.startedAt);
    if (delay === null) return this.finish({ resumed: false, reason: RESUME_GAVE_UP });
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run() {
    this.attempt++;
    const outcome = await this.tryOnce().catch((): ResumeOutcome => ({ resumed: false }));
    if (!this.running) return;
    if (outcome.resumed) return this.finish({ resumed: true });
    if (outcome.giveUp) return this.finish({ resumed: false, reason: outcome.giveUp });
    this.schedule();
  }

  private finish(result: { resumed: true } | { resumed: false; reason: string }) {
    this.stop();
    this.finished(result);
  }
}
