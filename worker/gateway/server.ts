// The terminal gateway: a socket.io server on the worker's HTTP server, one namespace for terminals.
import type { Server as HttpServer } from "node:http";
import { Server, type Namespace } from "socket.io";
import { ActivityThrottle, recordActivity } from "~/core/classroom/activity";
import type { Db } from "~/core/db";
import {
  CAPTURE_NAMESPACE,
  refusal,
  TERMINAL_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "~/protocol/terminalProtocol";
import type { CaptureManager } from "../capture/manager";
import { authenticate, type SocketData } from "./authenticate";
import { authenticateCapture } from "./captureAuth";
import { serveCaptures } from "./captureSocket";
import { ConnectionCounter, gatewayLimits, limitMessages } from "./connectionGuard";
import { logger } from "~/core/log";
import type { TerminalHub } from "./terminalHub";

const log = logger.child({ component: "gateway" });

export { gatewayLimits };

export function createTerminalGateway(deps: {
  httpServer: HttpServer;
  db: Db;
  hub: TerminalHub;
  secret: string;
  allowedOrigins: string[];
  /** This worker's WORKER_ID: terminals of sessions placed on another worker are refused. */
  workerId: string;
  /** The worker's packet captures: served on /capture when given. */
  captures?: CaptureManager;
}): Server {
  const allowed = new Set(deps.allowedOrigins);
  const counter = new ConnectionCounter();
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    perMessageDeflate: false,
    cors: { origin: deps.allowedOrigins },
    connectTimeout: gatewayLimits.joinWithinMs,
    // Browsers always send Origin: refuse pages we do not serve. Non-browser clients still need a token.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (origin && !allowed.has(origin)) return callback(refusal.originNotAllowed, false);
      const full = counter.refusal(req);
      if (full) return callback(full, false);
      callback(null, true);
    },
  });
  counter.track(io);
  // Only /terminal and /capture exist: the default namespace is refused, so a bare connection holds nothing.
  io.use((_socket, next) => next(Object.assign(new Error(refusal.wrongNamespace), { data: { reason: "bad-namespace" } })));
  const terminals = io.of(TERMINAL_NAMESPACE);
  terminals.use(authenticate({ db: deps.db, secret: deps.secret, hub: deps.hub, workerId: deps.workerId }));
  if (deps.captures) {
    // Its own events (CaptureClientToServerEvents): not the terminal's, which type `io`.
    const captures = io.of(CAPTURE_NAMESPACE) as unknown as Namespace;
    captures.use(
      authenticateCapture({ db: deps.db, secret: deps.secret, workerId: deps.workerId, closing: () => deps.hub.closing }),
    );
    serveCaptures(captures, { db: deps.db, manager: deps.captures });
  }
  // "Last activity" for the class dashboard: at most one write per session every 15 s, never the keys.
  const activity = new ActivityThrottle((sessionId, at) => recordActivity(deps.db, sessionId, at));
  deps.hub.onTyped = (sessionId) => activity.touched(sessionId);
  terminals.on("connection", (socket) => {
    const { claims, handshake } = socket.data;
    limitMessages(socket, () => {
      socket.emit("error", { code: "rate-limited", message: refusal.floodDisconnected });
      socket.disconnect(true);
    });
    const joiner = {
      userId: claims.sub,
      clientId: claims.cid,
      handle: claims.handle,
      role: claims.role,
      ...(handshake.resumeFrom !== undefined ? { resumeFrom: handshake.resumeFrom } : {}),
    };
    // Synchronously: the hub starts listening before the shell is open (see ClientInbox).
    deps.hub.join(socket, claims.sid, claims.terminal, joiner).catch((error: unknown) => {
      log.error({ err: error, sessionId: claims.sid }, "could not attach a client to its terminal");
      socket.emit("error", { code: "unavailable", message: "the terminal could not be opened; try again" });
      socket.disconnect(true);
    });
  });
  return io;
}
