// What one connected client may send, per second: token buckets for each kind of event, and
// refusals that are themselves rate limited (a flood gets a few errors, then one a second, not one per event).
import type { TerminalError, TerminalErrorCode } from "~/protocol/terminalProtocol";
import { TokenBucket } from "./rateLimit";

export const clientLimits = {
  inputBytesPerSecond: 64 * 1024,
  inputMessagesPerSecond: 400,
  /** A window being dragged sends tens a second; the shell sees them coalesced anyway. */
  resizesPerSecond: 30,
  /** Clients acknowledge every 32 KiB or 20 ms. */
  acksPerSecond: 200,
  /** Unknown events, malformed payloads, takeover/release. */
  otherPerSecond: 10,
  /** Errors sent back: a burst of 5, then one a second per code. */
  errorsPerSecond: 1,
  errorBurst: 5,
};

export type GuardedEvent = "input" | "resize" | "ack" | "other";

export class ClientGuard {
  private readonly buckets: Record<GuardedEvent, TokenBucket>;
  private readonly inputBytes: TokenBucket;
  private readonly errors = new Map<TerminalErrorCode, TokenBucket>();

  constructor(
    private readonly emitError: (error: TerminalError) => void,
    private readonly now?: () => number,
  ) {
    const bucket = (rate: number) => new TokenBucket(rate, 2 * rate, now);
    this.buckets = {
      input: bucket(clientLimits.inputMessagesPerSecond),
      resize: bucket(clientLimits.resizesPerSecond),
      ack: bucket(clientLimits.acksPerSecond),
      other: bucket(clientLimits.otherPerSecond),
    };
    this.inputBytes = bucket(clientLimits.inputBytesPerSecond);
  }

  /**
   * Whether one more event of this kind is allowed now. Refused input and other events are
   * reported (rate limited too); resizes and acks are dropped quietly: the caller keeps the last.
   */
  allow(event: GuardedEvent): boolean {
    if (this.buckets[event].take(1)) return true;
    if (event === "input") this.refuse({ code: "rate-limited", message: "too many keystroke messages too fast; slow down" });
    if (event === "other") this.refuse({ code: "rate-limited", message: "too many events too fast; slow down" });
    return false;
  }

  /** Bytes of typed input that may reach the shell now (inputPolicy.ts decides with it). */
  inputBytesAvailable(): number {
    return this.inputBytes.available();
  }

  /** Counts typed input that went to the shell. */
  spendInputBytes(bytes: number) {
    this.inputBytes.take(bytes);
  }

  /** Sends an error to the client, unless too many with this code went out lately. */
  refuse(error: TerminalError) {
    let bucket = this.errors.get(error.code);
    if (!bucket)
      this.errors.set(error.code, (bucket = new TokenBucket(clientLimits.errorsPerSecond, clientLimits.errorBurst, this.now)));
    if (bucket.take(1)) this.emitError(error);
  }
}
