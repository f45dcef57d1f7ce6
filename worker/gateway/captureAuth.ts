// socket.io middleware of /capture: a connection watches a session's captures only with a valid,
// unexpired capture token for that session, held by a member (or the class's instructor) with the
// token's role, while the session is READY and placed on this worker.
import type { Socket } from "socket.io";
import type { Db } from "~/core/db";
import { findSessionAccess, mayOpenTerminal } from "~/core/access/sessions";
import { verifyCaptureToken, type CaptureClaims } from "~/core/sessions/captureToken";
import { TerminalTokenError } from "~/core/sessions/terminalToken";
import { logger } from "~/core/log";
import { captureHandshakeSchema, captureRefusal, refusal } from "~/protocol/terminalProtocol";
import { ConnectLimiter } from "./connectLimiter";

const log = logger.child({ component: "capture-gateway" });

export type CaptureSocketData = { claims: CaptureClaims };

const refuse = (message: string, reason: string) => Object.assign(new Error(message), { data: { reason } });

export function authenticateCapture(deps: { db: Db; secret: string; workerId: string; closing: () => boolean }) {
  const limiter = new ConnectLimiter();
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const handshake = captureHandshakeSchema.safeParse(auth);
      if (!handshake.success) return next(refuse(captureRefusal.badHandshake, "bad-handshake"));
      const claims = await verifyCaptureToken(deps.secret, auth.token);
      if (claims.sid !== handshake.data.sessionId) return next(refuse(captureRefusal.otherSession, "other-session"));
      if (deps.closing()) return next(refuse(refusal.restarting, "restarting"));
      if (!limiter.allow(claims.sub, claims.sid, "capture")) return next(refuse(refusal.reconnectingTooFast, "rate-limited"));
      const found = await findSessionAccess(deps.db, claims.sub, claims.sid);
      if (!mayOpenTerminal(found, claims.role)) return next(refuse(refusal.sessionNotReady, "not-ready"));
      const placedOn = found?.session.workerId ?? null;
      if (placedOn !== null && placedOn !== deps.workerId) return next(refuse(refusal.otherWorker, "other-worker"));
      socket.data = { claims } satisfies CaptureSocketData;
      next();
    } catch (error) {
      if (error instanceof TerminalTokenError) return next(refuse(error.message, error.reason));
      log.error({ err: error }, "capture authentication failed unexpectedly");
      next(refuse("the capture service could not check your token; try again", "internal"));
    }
  };
}
