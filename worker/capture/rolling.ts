// Rolling captures for capture checks: a helper kept running on (session, container, interface)
// and a ring of what it saw in the last ROLLING_WINDOW_MS (at most ROLLING_MAX_BYTES; older packets
// are dropped). The helper's tcpdump keeps only what checks read (ROLLING_FILTER, in the kernel) and
// ROLLING_SNAPLEN bytes of each packet; past CAPTURE_MAX_PPS its helper ends and the interface rests
// ROLLING_COOLDOWN_MS before it is watched again (a flood is not read and parsed for nothing). They never
// reach browsers and have their own worker-wide bound (CAPTURE_MAX_ROLLING_PER_WORKER), not the live
// captures' slots.
import { decodeFrame, type DecodedPacket } from "~/core/capture/decode";
import { PpsMeter } from "~/core/capture/limits";
import { LINKTYPE_ETHERNET, PcapStreamParser } from "~/core/capture/pcap";
import { PacketRing } from "~/core/capture/ring";
import { CaptureRefused, type CapturePort, type RunningCapture } from "~/core/provisioner/capturePort";
import { logger } from "~/core/log";
import type { CaptureLimits } from "~/core/settings";
import { ifaceNameSchema } from "~/protocol/labNames";
import { captureContainerSchema } from "~/protocol/terminalProtocol";
import type { CaptureSlots } from "./slots";

const log = logger.child({ component: "capture-rolling" });

export const ROLLING_WINDOW_MS = 60_000;
export const ROLLING_MAX_BYTES = 2 * 1024 * 1024;
/**
 * What capture checks read (ARP, ICMP, DNS, and TCP for HTTP, which a lab may serve on any port, e.g.
 * busybox httpd on 8080): tcpdump drops the rest in the kernel.
 */
export const ROLLING_FILTER = "arp or icmp or udp port 53 or tcp";
export const ROLLING_SNAPLEN = 512;
/** How long an interface that went over the packet rate rests before it is watched again. */
export const ROLLING_COOLDOWN_MS = 10_000;
/** The most recent packets a check reads decoded (the ring may hold more small ones). */
export const ROLLING_MAX_DECODED = 4096;

/** A rolling capture refused for now (too much traffic, no room): the message is for the learner. */
export class RollingBusy extends CaptureRefused {
  constructor(message: string) {
    super(message);
    this.name = "RollingBusy";
  }
}

export const rollingWords = {
  tooMuchTraffic: (container: string, iface: string) =>
    `too much traffic on ${container}'s ${iface} to watch; try again in a few seconds`,
  noRoom: (container: string, iface: string, max: number) =>
    `this lab host already watches its maximum of ${max} interfaces for checks, so ${container}'s ${iface} is not watched; try again in a minute`,
};

type Entry = {
  sessionId: string;
  container: string;
  iface: string;
  ring: PacketRing;
  seen: number;
  /** Resolves once the helper listens (rejects when it could not start). */
  started: Promise<void>;
  helper?: RunningCapture;
  /** Over the rate: resting until then (no helper, no slot). */
  coolUntil?: number;
  coolTimer?: NodeJS.Timeout;
  /** The current helper's generation: data of an older one is ignored. */
  run: number;
  /** Gives back the current helper's slot (idempotent). */
  release: () => void;
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
    private readonly cooldownMs = ROLLING_COOLDOWN_MS,
  ) {}

  /** Keeps a rolling capture on the interface (idempotent); resolves once it listens. */
  ensure(sessionId: string, container: string, iface: string): Promise<void> {
    const name = captureContainerSchema.safeParse(container);
    const nic = ifaceNameSchema.safeParse(iface);
    if (!name.success) return Promise.reject(new CaptureRefused(`bad container name "${container}"`));
    if (!nic.success) return Promise.reject(new CaptureRefused(nic.error.issues[0]?.message ?? "bad interface name"));
    const key = keyOf(sessionId, container, iface);
    const existing = this.entries.get(key);
    if (existing?.coolUntil !== undefined) {
      if (this.now() < existing.coolUntil) return Promise.reject(new RollingBusy(rollingWords.tooMuchTraffic(container, iface)));
      return this.launch(existing);
    }
    if (existing) return existing.started;
    if (this.closing) return Promise.reject(new CaptureRefused("the lab host is restarting"));
    const entry: Entry = {
      sessionId,
      container,
      iface,
      ring: new PacketRing(ROLLING_MAX_BYTES, ROLLING_WINDOW_MS),
      seen: 0,
      started: Promise.resolve(),
      run: 0,
      release: () => undefined,
      ended: false,
    };
    this.entries.set(key, entry);
    return this.launch(entry);
  }

  /** Starts the entry's helper (a new one, or again after its rest); takes a slot while it runs. */
  private launch(entry: Entry): Promise<void> {
    const { sessionId, container, iface } = entry;
    const key = keyOf(sessionId, container, iface);
    clearTimeout(entry.coolTimer);
    entry.coolTimer = undefined;
    entry.coolUntil = undefined;
    if (!this.slots.take()) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      entry.ended = true;
      return Promise.reject(new RollingBusy(rollingWords.noRoom(container, iface, this.slots.max)));
    }
    const run = ++entry.run;
    let holding = true;
    const release = () => {
      if (!holding) return;
      holding = false;
      this.slots.release();
    };
    entry.release = release;
    const parser = new PcapStreamParser();
    const meter = new PpsMeter(this.limits.CAPTURE_MAX_PPS, this.now);
    const current = () => !entry.ended && entry.run === run && entry.coolUntil === undefined;
    const finish = (reason: string) => {
      if (!current()) return release();
      entry.ended = true;
      release();
      if (this.entries.get(key) === entry) this.entries.delete(key);
      log.info({ sessionId, container, iface, reason }, "rolling capture ended");
      void entry.helper?.stop().catch(() => undefined);
    };
    const rest = () => {
      entry.coolUntil = this.now() + this.cooldownMs;
      release();
      log.info({ sessionId, container, iface }, "rolling capture over the packet rate: resting");
      void entry.helper?.stop().catch(() => undefined);
      entry.helper = undefined;
      entry.coolTimer = setTimeout(() => {
        if (entry.ended || this.closing || this.entries.get(key) !== entry) return;
        this.launch(entry).catch(() => undefined);
      }, this.cooldownMs);
      entry.coolTimer.unref();
    };
    const data = (chunk: Buffer) => {
      if (!current()) return;
      try {
        const at = this.now();
        for (const r of parser.push(chunk)) {
          if (meter.add()) return rest();
          entry.ring.push({ no: ++entry.seen, ts: r.ts, len: r.len, data: r.data, at });
        }
        entry.ring.prune(at);
        if (parser.header && parser.header.linktype !== LINKTYPE_ETHERNET) finish(`link type ${parser.header.linktype}`);
      } catch (error) {
        finish((error as Error).message);
      }
    };
    entry.started = this.port
      .start(
        { sessionId, container, iface, snaplen: Math.min(ROLLING_SNAPLEN, this.limits.CAPTURE_SNAPLEN), filter: ROLLING_FILTER },
        { data, ended: finish },
      )
      .then(
        (helper) => {
          if (current()) entry.helper = helper;
          else void helper.stop().catch(() => undefined);
        },
        (error: unknown) => {
          finish(`did not start: ${(error as Error).message}`);
          throw error;
        },
      );
    return entry.started;
  }

  /** What the rolling capture saw in the last minute, decoded (the most recent ROLLING_MAX_DECODED; empty when there is none). */
  packets(sessionId: string, container: string, iface: string): DecodedPacket[] {
    const entry = this.entries.get(keyOf(sessionId, container, iface));
    if (!entry) return [];
    entry.ring.prune(this.now());
    return entry.ring
      .all()
      .slice(-ROLLING_MAX_DECODED)
      .map((r) => decodeFrame(r.data, { no: r.no, ts: r.ts, len: r.len }));
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
        clearTimeout(e.coolTimer);
        this.entries.delete(keyOf(e.sessionId, e.container, e.iface));
        e.release();
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
