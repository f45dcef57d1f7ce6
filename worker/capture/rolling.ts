// Rolling captures for capture checks: a helper kept running on (session, container, interface)
// and a ring of what it saw in the last ROLLING_WINDOW_MS (at most ROLLING_MAX_BYTES; older packets
// are dropped, and packets beyond CAPTURE_MAX_PPS are not kept). They never reach browsers and take
// a worker slot each (CAPTURE_MAX_PER_WORKER), not one of the session's live captures.
import { decodeFrame, type DecodedPacket } from "~/core/capture/decode";
import { PpsMeter } from "~/core/capture/limits";
import { LINKTYPE_ETHERNET, PcapStreamParser } from "~/core/capture/pcap";
import { PacketRing } from "~/core/capture/ring";
import { CaptureRefused, type CapturePort, type RunningCapture } from "~/core/provisioner/capturePort";
import { logger } from "~/core/log";
import type { CaptureLimits } from "~/core/settings";
import { captureContainerSchema, captureIfaceSchema } from "~/protocol/terminalProtocol";
import { type CaptureSlots, slotsFullMessage } from "./slots";

const log = logger.child({ component: "capture-rolling" });

export const ROLLING_WINDOW_MS = 60_000;
export const ROLLING_MAX_BYTES = 2 * 1024 * 1024;

type Entry = {
  sessionId: string;
  container: string;
  iface: string;
  ring: PacketRing;
  seen: number;
  /** Resolves once the helper listens (rejects when it could not start). */
  started: Promise<void>;
  helper?: RunningCapture;
  ended: boolean;
};

const keyOf = (sessionId: string, container: string, iface: string) => `${sessionId}/${container}/${iface}`;

export class RollingCaptures {
  private readonly entries = new Map<string, Entry>();
  private closing = false;

  constructor(
    private readonly port: CapturePort,
    private readonly limits: CaptureLimits,
    private readonly slots: CaptureSlots,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a rolling capture on the interface (idempotent); resolves once it listens. */
  ensure(sessionId: string, container: string, iface: string): Promise<void> {
    const name = captureContainerSchema.safeParse(container);
    const nic = captureIfaceSchema.safeParse(iface);
    if (!name.success) return Promise.reject(new CaptureRefused(`bad container name "${container}"`));
    if (!nic.success) return Promise.reject(new CaptureRefused(nic.error.issues[0]?.message ?? "bad interface name"));
    const key = keyOf(sessionId, container, iface);
    const existing = this.entries.get(key);
    if (existing) return existing.started;
    if (this.closing) return Promise.reject(new CaptureRefused("the lab host is restarting"));
    if (!this.slots.take()) return Promise.reject(new CaptureRefused(slotsFullMessage(this.slots.max)));
    const entry: Entry = {
      sessionId,
      container,
      iface,
      ring: new PacketRing(ROLLING_MAX_BYTES, ROLLING_WINDOW_MS),
      seen: 0,
      started: Promise.resolve(),
      ended: false,
    };
    const parser = new PcapStreamParser();
    const meter = new PpsMeter(this.limits.CAPTURE_MAX_PPS, this.now);
    const finish = (reason: string) => {
      if (entry.ended) return;
      entry.ended = true;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      this.slots.release();
      log.info({ sessionId, container, iface, reason }, "rolling capture ended");
      void entry.helper?.stop().catch(() => undefined);
    };
    const data = (chunk: Buffer) => {
      if (entry.ended) return;
      try {
        const at = this.now();
        for (const r of parser.push(chunk)) {
          if (meter.add()) continue; // over the rate: not kept
          entry.ring.push({ no: ++entry.seen, ts: r.ts, len: r.len, data: r.data, at });
        }
        entry.ring.prune(at);
        if (parser.header && parser.header.linktype !== LINKTYPE_ETHERNET) finish(`link type ${parser.header.linktype}`);
      } catch (error) {
        finish((error as Error).message);
      }
    };
    entry.started = this.port
      .start({ sessionId, container, iface, snaplen: this.limits.CAPTURE_SNAPLEN }, { data, ended: finish })
      .then(
        (helper) => {
          entry.helper = helper;
          if (entry.ended) void helper.stop().catch(() => undefined);
        },
        (error: unknown) => {
          finish(`did not start: ${(error as Error).message}`);
          throw error;
        },
      );
    this.entries.set(key, entry);
    return entry.started;
  }

  /** What the rolling capture saw in the last minute, decoded (empty when there is none). */
  packets(sessionId: string, container: string, iface: string): DecodedPacket[] {
    const entry = this.entries.get(keyOf(sessionId, container, iface));
    if (!entry) return [];
    entry.ring.prune(this.now());
    return entry.ring.all().map((r) => decodeFrame(r.data, { no: r.no, ts: r.ts, len: r.len }));
  }

  /** The (container, iface) pairs with a rolling capture in this session. */
  running(sessionId: string): { container: string; iface: string }[] {
    return [...this.entries.values()]
      .filter((e) => e.sessionId === sessionId)
      .map(({ container, iface }) => ({ container, iface }));
  }

  /** Stops the session's rolling captures (all, or one interface's). */
  async stop(sessionId: string, only?: { container: string; iface: string }): Promise<void> {
    const mine = [...this.entries.values()].filter(
      (e) => e.sessionId === sessionId && (!only || (e.container === only.container && e.iface === only.iface)),
    );
    await Promise.all(
      mine.map(async (e) => {
        e.ended = true;
        this.entries.delete(keyOf(e.sessionId, e.container, e.iface));
        this.slots.release();
        await e.started.catch(() => undefined);
        await e.helper?.stop().catch(() => undefined);
      }),
    );
  }

  async closeAll(): Promise<void> {
    this.closing = true;
    const sessions = new Set([...this.entries.values()].map((e) => e.sessionId));
    await Promise.all([...sessions].map((s) => this.stop(s)));
  }
}

// The worker's one instance (worker/app.ts installs it), for the capture checks' wiring.
let installed: RollingCaptures | undefined;

export function installRolling(rolling: RollingCaptures | undefined) {
  installed = rolling;
}

/** Keeps a rolling capture on (container, iface) of the session; rejects with CaptureRefused when it cannot. */
export function ensureRolling(sessionId: string, container: string, iface: string): Promise<void> {
  if (!installed) return Promise.reject(new Error("rolling captures are not installed on this worker"));
  return installed.ensure(sessionId, container, iface);
}

/** The decoded packets of the last 60 s on (container, iface) of the session ([] without a rolling capture). */
export function rollingPackets(sessionId: string, container: string, iface: string): DecodedPacket[] {
  return installed?.packets(sessionId, container, iface) ?? [];
}

/** Stops the session's rolling captures (at teardown, or when no check needs them). */
export function stopRolling(sessionId: string, only?: { container: string; iface: string }): Promise<void> {
  return installed?.stop(sessionId, only) ?? Promise.resolve();
}
