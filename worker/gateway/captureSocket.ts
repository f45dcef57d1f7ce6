// The /capture namespace's connections: the session's capture list on connect and on each change,
// start/stop for those who may type (owner, driver, instructor; a viewer is read-only), and
// subscriptions: everything a capture kept (in chunks, off one event-loop turn), then its live packets.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Namespace, Socket } from "socket.io";
import type { Db } from "~/core/db";
import { findSessionAccess, mayOpenTerminal } from "~/core/access/sessions";
import { CaptureRefused } from "~/core/provisioner/capturePort";
import { logger } from "~/core/log";
import { mayType } from "~/protocol/roles";
import {
  CAPTURE_CLIENT_EVENTS,
  CAPTURE_PACKETS_PER_MESSAGE,
  captureStartSchema,
  captureStopSchema,
  captureSubscribeSchema,
  isCaptureClientEvent,
  refusal,
  type CaptureAck,
  type CapturedPacket,
  type TerminalError,
} from "~/protocol/terminalProtocol";
import type { CaptureManager } from "../capture/manager";
import { toCaptured } from "../capture/manager";
import type { CaptureSocketData } from "./captureAuth";
import { ClientGuard } from "./clientGuard";
import { limitMessages } from "./connectionGuard";

const log = logger.child({ component: "capture-gateway" });

/** Packets per `packets` message when a subscriber catches up with what a capture kept. */
export const BACKLOG_CHUNK = 500;
/*
 * Bytes waiting for a subscriber's connection (engine.io's write buffer and what the WebSocket has not
 * sent yet) plus what waits for it while it catches up: past CAPTURE_MAX_QUEUED_BYTES a live subscriber
 * that cannot keep up is unsubscribed with a clear error (it may subscribe again and catch up), and a
 * catching-up one waits for its connection to drain, so a reader that stops reading never makes the
 * worker hold more than about this for it.
 */
const DRAIN_WAIT_MS = 1000;

type EnginePacket = { data?: unknown };
const sizeOf = (data: unknown): number =>
  typeof data === "string"
    ? data.length
    : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
      ? (data as ArrayBufferLike | ArrayBufferView).byteLength
      : 0;

/** Bytes the connection holds for this client and has not sent (engine.io's buffer and the WebSocket's). */
export function queuedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as {
    writeBuffer?: EnginePacket[];
    transport?: { socket?: { bufferedAmount?: number } };
  };
  let n = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) n += sizeOf(packet.data);
  return n;
}

const packetsBytes = (packets: CapturedPacket[]) => packets.reduce((n, p) => n + p.data.byteLength, 0);

/** Resolves once the connection has room again (or is gone). */
async function roomFor(socket: Socket, maxQueued: number) {
  while (socket.connected && queuedBytes(socket) > maxQueued / 4) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, DRAIN_WAIT_MS);
      function done() {
        clearTimeout(timer);
        socket.conn.off("drain", done);
        resolve();
      }
      socket.conn.on("drain", done);
    });
  }
}

const bad = (message: string): TerminalError => ({ code: "bad-request", message });
export const captureBadRequest = {
  start: bad(
    "start needs { container: a container of this session (as in docker ps, or host, dns), iface: an interface name such as eth0 }",
  ),
  stop: bad("stop needs { captureId: the id of a capture in `captures` }"),
  subscribe: bad("subscribe needs { captureId: the id of a capture in `captures` }"),
  noCapture: bad("this session has no such capture (see `captures` for the ids)"),
  tooSlow: {
    code: "unavailable",
    message: "your connection fell behind this capture and was unsubscribed: subscribe again to catch up",
  } satisfies TerminalError,
  notRunning: bad("this session has no such capture running"),
  unknownEvent: (name: string) => bad(`unknown event "${name}"; events: ${CAPTURE_CLIENT_EVENTS.join(", ")}`),
};
const readOnly: TerminalError = {
  code: "read-only",
  message: "you are watching this session: only its owner, drivers and instructors start or stop captures",
};

type Subscriber = {
  socket: Socket;
  lastNo: number;
  /** Live packets waiting while it catches up (undefined once it follows live), and their bytes. */
  queue: CapturedPacket[][] | undefined;
  queueBytes: number;
  dropped: boolean;
  forget: () => void;
};

const sessionRoom = (sessionId: string) => `session:${sessionId}`;

export function serveCaptures(nsp: Namespace, deps: { db: Db; manager: CaptureManager }) {
  const subscribers = new Map<string, Set<Subscriber>>();
  const maxQueued = deps.manager.limits.CAPTURE_MAX_QUEUED_BYTES;

  const send = (sub: Subscriber, captureId: string, packets: CapturedPacket[]) => {
    const fresh = packets.filter((p) => p.no > sub.lastNo);
    if (fresh.length === 0) return;
    sub.lastNo = fresh[fresh.length - 1]!.no;
    for (let i = 0; i < fresh.length; i += CAPTURE_PACKETS_PER_MESSAGE) {
      const part = fresh.slice(i, i + CAPTURE_PACKETS_PER_MESSAGE);
      sub.socket.emit("packets", { captureId, from: part[0]!.no, packets: part });
    }
  };

  const unlisten = deps.manager.listen({
    changed: (sessionId, list) => nsp.to(sessionRoom(sessionId)).emit("captures", list),
    packets: (_sessionId, captureId, packets) => {
      const set = subscribers.get(captureId);
      for (const sub of set ?? []) {
        if (sub.queue) {
          sub.queue.push(packets);
          sub.queueBytes += packetsBytes(packets);
        }
        if (sub.queueBytes + queuedBytes(sub.socket) > maxQueued) {
          sub.forget();
          sub.dropped = true;
          sub.queue = undefined;
          sub.queueBytes = 0;
          sub.socket.emit("error", captureBadRequest.tooSlow);
        } else if (!sub.queue) send(sub, captureId, packets);
      }
    },
    wants: (captureId) => (subscribers.get(captureId)?.size ?? 0) > 0,
    sessionEnded: (sessionId, reason) => {
      nsp.to(sessionRoom(sessionId)).emit("captures", []);
      nsp.to(sessionRoom(sessionId)).emit("error", { code: "unavailable", message: `the session ended: ${reason}` });
      nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
  });

  async function subscribe(socket: Socket, sessionId: string, captureId: string, guard: ClientGuard) {
    const capture = deps.manager.get(sessionId, captureId);
    if (!capture) return guard.refuse(captureBadRequest.noCapture);
    let set = subscribers.get(captureId);
    if (!set) subscribers.set(captureId, (set = new Set()));
    if ([...set].some((s) => s.socket === socket)) return;
    // Same turn: what is kept now is sent first; what comes after waits in the queue, then follows.
    const kept = capture.records();
    const gone = () => {
      socket.off("disconnect", gone);
      set.delete(sub);
      if (set.size === 0 && subscribers.get(captureId) === set) subscribers.delete(captureId);
    };
    const sub: Subscriber = { socket, lastNo: 0, queue: [], queueBytes: 0, dropped: false, forget: gone };
    set.add(sub);
    socket.on("disconnect", gone);
    for (let i = 0; i < kept.length && socket.connected && !sub.dropped; i += BACKLOG_CHUNK) {
      send(sub, captureId, kept.slice(i, i + BACKLOG_CHUNK).map(toCaptured));
      await nextTurn();
      await roomFor(socket, maxQueued);
    }
    if (sub.dropped) return;
    const queued = sub.queue ?? [];
    sub.queue = undefined;
    sub.queueBytes = 0;
    for (const packets of queued) send(sub, captureId, packets);
  }

  nsp.on("connection", (socket: Socket) => {
    const { claims } = socket.data as CaptureSocketData;
    const sessionId = claims.sid;
    const guard = new ClientGuard((error) => socket.emit("error", error));
    limitMessages(socket, () => {
      socket.emit("error", { code: "rate-limited", message: refusal.floodDisconnected });
      socket.disconnect(true);
    });
    void socket.join(sessionRoom(sessionId));
    socket.emit("captures", deps.manager.list(sessionId));

    const reply = (ack: unknown, answer: CaptureAck) => {
      if (typeof ack === "function") (ack as (a: CaptureAck) => void)(answer);
      else if (!answer.ok) guard.refuse(answer.error);
    };
    /** Whether the holder may still start or stop: the role, and the session still READY for them. */
    const mayControl = async (): Promise<TerminalError | undefined> => {
      if (!mayType(claims.role)) return readOnly;
      const found = await findSessionAccess(deps.db, claims.sub, sessionId);
      if (!mayOpenTerminal(found, claims.role)) return { code: "unavailable", message: refusal.sessionNotReady };
      return undefined;
    };

    socket.onAny((event: string) => {
      if (!isCaptureClientEvent(event) && guard.allow("other")) guard.refuse(captureBadRequest.unknownEvent(event));
    });

    socket.on("start", async (request: unknown, ack: unknown) => {
      if (!guard.allow("other")) return;
      const parsed = captureStartSchema.safeParse(request);
      if (!parsed.success) {
        const detail = parsed.error.issues[0]?.message;
        return reply(ack, { ok: false, error: bad(`${captureBadRequest.start.message}${detail ? ` (${detail})` : ""}`) });
      }
      try {
        const refused = await mayControl();
        if (refused) return reply(ack, { ok: false, error: refused });
        const info = await deps.manager.start(sessionId, parsed.data, claims.handle);
        reply(ack, { ok: true, captureId: info.id });
      } catch (error) {
        if (error instanceof CaptureRefused) return reply(ack, { ok: false, error: bad(error.message) });
        log.error({ err: error, sessionId }, "capture did not start");
        reply(ack, { ok: false, error: { code: "unavailable", message: "the capture could not be started; try again" } });
      }
    });

    socket.on("stop", async (request: unknown, ack: unknown) => {
      if (!guard.allow("other")) return;
      const parsed = captureStopSchema.safeParse(request);
      if (!parsed.success) return reply(ack, { ok: false, error: captureBadRequest.stop });
      try {
        const refused = await mayControl();
        if (refused) return reply(ack, { ok: false, error: refused });
        if (!deps.manager.stop(sessionId, parsed.data.captureId, claims.handle))
          return reply(ack, { ok: false, error: captureBadRequest.notRunning });
        reply(ack, { ok: true, captureId: parsed.data.captureId });
      } catch (error) {
        log.error({ err: error, sessionId }, "capture did not stop");
        reply(ack, { ok: false, error: { code: "unavailable", message: "the capture could not be stopped; try again" } });
      }
    });

    socket.on("subscribe", (request: unknown) => {
      if (!guard.allow("other")) return;
      const parsed = captureSubscribeSchema.safeParse(request);
      if (!parsed.success) return guard.refuse(captureBadRequest.subscribe);
      subscribe(socket, sessionId, parsed.data.captureId, guard).catch((error: unknown) =>
        log.error({ err: error, sessionId }, "capture subscription failed"),
      );
    });
  });

  return { close: unlisten };
}
