// The worker's live captures, per session: start (within the limits: per session, per worker),
// stop, list, the packets kept, and the fan-out of new packets to whoever listens (the /capture
// gateway). Captures end with their session, their container, the worker, or a limit; an ended
// capture stays listed (with its packets) until its session ends: the KEEP_ENDED most recent per session,
// at most CAPTURE_MAX_PER_WORKER of them and CAPTURE_MAX_ENDED_BYTES of their packets on the worker
// (oldest dropped first). It never holds more than CAPTURE_MAX_PER_WORKER × CAPTURE_MAX_BYTES (live) +
// CAPTURE_MAX_ENDED_BYTES (ended) of packets.
import { randomUUID } from "node:crypto";
import { decodeFrame } from "~/core/capture/decode";
import type { StoredRecord } from "~/core/capture/ring";
import { CaptureRefused, type CapturePort, type RunningCapture } from "~/core/provisioner/capturePort";
import { logger } from "~/core/log";
import type { CaptureLimits } from "~/core/settings";
import type { CaptureInfo, CapturedPacket, CaptureStart } from "~/protocol/terminalProtocol";
import { endReasons, LiveCapture } from "./liveCapture";
import { TokenBucket } from "../gateway/rateLimit";
import { type CaptureSlots, slotsFullMessage } from "./slots";

const log = logger.child({ component: "capture" });

/** Ended captures a session keeps listed (with their packets), the most recent ones. */
export const KEEP_ENDED = 1;

/** Captures a session may start: a burst, then so many a minute (each start is a helper container). */
export const START_RATE = { perMinute: 10, burst: 10 };
export const startRateMessage = `this session started ${START_RATE.burst} captures in a short while: wait a few seconds, then start again (at most ${START_RATE.perMinute} a minute)`;

export const sessionLimitMessage = (max: number) =>
  `this session already has ${max} live capture${max === 1 ? "" : "s"}: stop one first`;

export type CaptureListener = {
  /** The session's list changed (a capture started, ended, or its counts moved with a batch). */
  changed(sessionId: string, list: CaptureInfo[]): void;
  /** New packets of a capture, decoded once for every subscriber. */
  packets(sessionId: string, captureId: string, packets: CapturedPacket[]): void;
  /** The session ended: its captures are gone. */
  sessionEnded(sessionId: string, reason: string): void;
  /** Whether anyone follows the capture's packets now (none: a batch is not decoded at all). */
  wants(captureId: string): boolean;
};

/** A decoded packet with its bytes, as the gateway sends it. */
export function toCaptured(record: StoredRecord): CapturedPacket {
  return { ...decodeFrame(record.data, { no: record.no, ts: record.ts, len: record.len }), data: record.data };
}

export class CaptureManager {
  private readonly bySession = new Map<string, LiveCapture[]>();
  private readonly helpers = new Map<LiveCapture, Promise<RunningCapture | undefined>>();
  private readonly starting = new Map<string, number>();
  /** Captures whose helper is starting, per session: a session that ends meanwhile ends them too. */
  private readonly startingCaptures = new Map<string, Set<LiveCapture>>();
  private readonly listeners = new Set<CaptureListener>();
  /** Ended captures still listed, oldest first, across sessions. */
  private endedOrder: LiveCapture[] = [];
  private readonly startRate = new Map<string, TokenBucket>();
  private closing = false;

  constructor(
    private readonly port: CapturePort,
    readonly limits: CaptureLimits,
    private readonly slots: CaptureSlots,
    private readonly now: () => number = () => performance.now(),
  ) {}

  listen(listener: CaptureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(sessionId: string): CaptureInfo[] {
    return (this.bySession.get(sessionId) ?? []).map((c) => ({ ...c.info }));
  }

  /** A capture of this session (another session's id answers undefined, like a missing one). */
  get(sessionId: string, captureId: string): LiveCapture | undefined {
    return this.bySession.get(sessionId)?.find((c) => c.info.id === captureId);
  }

  /** Live captures of the whole worker. */
  get live(): number {
    let n = 0;
    for (const list of this.bySession.values()) n += list.filter((c) => c.running).length;
    return n;
  }

  /**
   * Starts a capture for `startedBy` (a display handle). Rejects with CaptureRefused for a request
   * the session cannot have (a container or interface it does not have, a limit reached).
   */
  async start(sessionId: string, request: CaptureStart, startedBy: string): Promise<CaptureInfo> {
    if (this.closing) throw new CaptureRefused(endReasons.restarting);
    const running = (this.bySession.get(sessionId) ?? []).filter((c) => c.running).length;
    if (running + (this.starting.get(sessionId) ?? 0) >= this.limits.CAPTURE_MAX_PER_SESSION) {
      throw new CaptureRefused(sessionLimitMessage(this.limits.CAPTURE_MAX_PER_SESSION));
    }
    let bucket = this.startRate.get(sessionId);
    if (!bucket) this.startRate.set(sessionId, (bucket = new TokenBucket(START_RATE.perMinute / 60, START_RATE.burst, this.now)));
    // Checked now, charged once it started: a request the session cannot have (refused) costs nothing.
    if (bucket.available() < 1) throw new CaptureRefused(startRateMessage);
    if (!this.slots.take()) throw new CaptureRefused(slotsFullMessage(this.slots.max));
    this.starting.set(sessionId, (this.starting.get(sessionId) ?? 0) + 1);
    const capture = new LiveCapture(
      sessionId,
      { id: randomUUID(), container: request.container, iface: request.iface, startedBy },
      this.limits,
      {
        batch: (c, records) => this.onBatch(c, records),
        ended: (c) => this.onEnded(c),
      },
    );
    const helper = this.port
      .start(
        { sessionId, container: request.container, iface: request.iface, snaplen: this.limits.CAPTURE_SNAPLEN },
        { data: (chunk) => capture.data(chunk), ended: (reason) => capture.end(reason) },
      )
      .finally(() => {
        const left = (this.starting.get(sessionId) ?? 1) - 1;
        if (left > 0) this.starting.set(sessionId, left);
        else this.starting.delete(sessionId);
      });
    this.helpers.set(
      capture,
      helper.catch(() => undefined),
    );
    let pending = this.startingCaptures.get(sessionId);
    if (!pending) this.startingCaptures.set(sessionId, (pending = new Set()));
    pending.add(capture);
    try {
      await helper;
    } catch (error) {
      if (this.helpers.delete(capture)) this.slots.release();
      capture.end("the capture did not start"); // clears its timer; it was never listed
      throw error;
    } finally {
      pending.delete(capture);
      if (pending.size === 0 && this.startingCaptures.get(sessionId) === pending) this.startingCaptures.delete(sessionId);
    }
    bucket.take(1);
    // The session ended, or the worker began closing, while the helper started.
    if (this.closing || capture.info.state === "ended") {
      capture.end(capture.info.reason ?? endReasons.restarting);
      await this.removeHelper(capture);
      throw new CaptureRefused(capture.info.reason ?? endReasons.restarting);
    }
    const list = this.bySession.get(sessionId) ?? [];
    list.push(capture);
    this.bySession.set(sessionId, list);
    log.info({ sessionId, captureId: capture.info.id, container: request.container, iface: request.iface }, "capture started");
    this.emitChanged(sessionId);
    return { ...capture.info };
  }

  /** Stops a running capture of the session; false when it has no such capture running. */
  stop(sessionId: string, captureId: string, byHandle: string): boolean {
    const capture = this.get(sessionId, captureId);
    if (!capture?.running) return false;
    capture.end(endReasons.stoppedBy(byHandle));
    return true;
  }

  /** The session ended: every capture ends and is forgotten, its helpers removed. */
  async endSession(sessionId: string, reason = endReasons.sessionEnded): Promise<void> {
    const list = this.bySession.get(sessionId) ?? [];
    for (const c of list) c.end(reason);
    // Those still starting end too: their start sees it once the helper answers, and removes it.
    for (const c of this.startingCaptures.get(sessionId) ?? []) c.end(reason);
    this.bySession.delete(sessionId);
    this.startRate.delete(sessionId);
    this.endedOrder = this.endedOrder.filter((c) => c.sessionId !== sessionId);
    await Promise.all(list.map((c) => this.removeHelper(c)));
    await this.port
      .removeAll(sessionId)
      .catch((error: unknown) => log.warn({ err: error, sessionId }, "capture helpers not removed"));
    for (const l of this.listeners) l.sessionEnded(sessionId, reason);
  }

  /** The engine changed for this session: captures whose container no longer runs end. */
  async recheck(sessionId: string): Promise<void> {
    const running = (this.bySession.get(sessionId) ?? []).filter((c) => c.running);
    for (const c of running) {
      const alive = await this.port.isRunning(sessionId, c.info.container).catch(() => true);
      if (!alive) c.end(`"${c.info.container}" stopped or was removed`);
    }
  }

  /** The worker stops: every capture ends and its helper is removed. */
  async closeAll(reason = endReasons.restarting): Promise<void> {
    this.closing = true;
    const all = [...this.bySession.values()].flat();
    for (const c of all) c.end(reason);
    await Promise.all(all.map((c) => this.removeHelper(c)));
  }

  private onBatch(capture: LiveCapture, records: StoredRecord[]) {
    if (!this.bySession.get(capture.sessionId)?.includes(capture)) return; // still starting: sent on subscribe
    const listening = [...this.listeners].filter((l) => l.wants(capture.info.id));
    if (listening.length > 0) {
      const packets = records.map(toCaptured);
      for (const l of listening) l.packets(capture.sessionId, capture.info.id, packets);
    }
    this.emitChanged(capture.sessionId);
  }

  private onEnded(capture: LiveCapture) {
    log.info({ sessionId: capture.sessionId, captureId: capture.info.id, reason: capture.info.reason }, "capture ended");
    void this.removeHelper(capture);
    const list = this.bySession.get(capture.sessionId);
    if (!list?.includes(capture)) return;
    this.endedOrder.push(capture);
    // The session's most recently ended stay (in the order they ended, not started).
    const ended = this.endedOrder.filter((c) => c.sessionId === capture.sessionId);
    const drop = new Set(ended.slice(0, Math.max(0, ended.length - KEEP_ENDED)));
    // The worker's oldest ended captures go first when it keeps more of them, or of their bytes, than its bounds.
    const kept = this.endedOrder.filter((c) => !drop.has(c));
    let count = kept.length;
    let bytes = kept.reduce((n, c) => n + c.retainedBytes, 0);
    for (const old of kept) {
      if (count <= this.limits.CAPTURE_MAX_PER_WORKER && bytes <= this.limits.CAPTURE_MAX_ENDED_BYTES) break;
      drop.add(old);
      count--;
      bytes -= old.retainedBytes;
    }
    this.endedOrder = this.endedOrder.filter((c) => !drop.has(c));
    const touched = new Set([capture.sessionId, ...[...drop].map((c) => c.sessionId)]);
    for (const sessionId of touched) {
      const kept = (this.bySession.get(sessionId) ?? []).filter((c) => !drop.has(c));
      if (kept.length > 0) this.bySession.set(sessionId, kept);
      else this.bySession.delete(sessionId);
      this.emitChanged(sessionId);
    }
  }

  /** Ended captures listed on the worker (their packets still held). */
  get endedKept(): number {
    return this.endedOrder.length;
  }

  /** Bytes of packets the worker keeps of ended captures. */
  get endedBytes(): number {
    return this.endedOrder.reduce((n, c) => n + c.retainedBytes, 0);
  }

  private async removeHelper(capture: LiveCapture) {
    const helper = this.helpers.get(capture);
    if (!helper) return;
    this.helpers.delete(capture);
    this.slots.release();
    const running = await helper;
    await running
      ?.stop()
      .catch((error: unknown) => log.warn({ err: error, helper: running.helper }, "capture helper not removed"));
  }

  private emitChanged(sessionId: string) {
    const list = this.list(sessionId);
    for (const l of this.listeners) l.changed(sessionId, list);
  }
}
