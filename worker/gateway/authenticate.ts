// socket.io middleware: a connection gets a terminal only with a valid, unexpired token for the
// session and terminal it asks for, held by the session's owner or a member with that role,
// while the session is READY and placed on this worker, and while the terminal has room.
import type { Socket } from "socket.io";
import type { Db } from "~/core/db";
import { handshakeSchema, refusal, type Handshake, type ResumableRefusal } from "~/protocol/terminalProtocol";
import { TerminalTokenError, verifyTerminalToken, type TerminalClaims } from "~/core/sessions/terminalToken";
import { findSessionAccess, mayOpenTerminal } from "~/core/access/sessions";
import { ConnectLimiter } from "./connectLimiter";
import { logger } from "~/core/log";
import type { TerminalHub } from "./terminalHub";

const log = logger.child({ component: "gateway" });

export type SocketData = { claims: TerminalClaims; handshake: Handshake };

function refuse(message: string, reason: string | ResumableRefusal): Error & { data: { reason: string } } {
  return Object.assign(new Error(message), { data: { reason } });
}

/** workerId: this worker's; a session placed on another worker is refused (`other-worker`). */
export function authenticate(deps: { db: Db; secret: string; hub: TerminalHub; workerId: string }) {
  const limiter = new ConnectLimiter();
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const claims = await verifyTerminalToken(deps.secret, auth.token);
      const handshake = handshakeSchema.safeParse(auth);
      if (!handshake.success) return next(refuse(refusal.badHandshake, "bad-handshake"));
      if (claims.sid !== handshake.data.sessionId || claims.terminal !== handshake.data.terminal) {
        return next(refuse(refusal.otherSession, "other-session"));
      }
      // Draining (SIGTERM): its terminals were told to resume; a resume that arrives before the gateway
      // closes waits for the host to come back rather than open a shell it would drop.
      if (deps.hub.closing) return next(refuse(refusal.restarting, "restarting"));
      if (!limiter.allow(claims.sub, claims.sid, claims.terminal))
        return next(refuse(refusal.reconnectingTooFast, "rate-limited"));
      const found = await findSessionAccess(deps.db, claims.sub, claims.sid);
      if (!mayOpenTerminal(found, claims.role)) return next(refuse(refusal.sessionNotReady, "not-ready"));
      // Its shells are on its worker's engine: a token cannot open one through another host.
      const placedOn = found?.session.workerId ?? null;
      if (placedOn !== null && placedOn !== deps.workerId) return next(refuse(refusal.otherWorker, "other-worker"));
      const full = deps.hub.refusalFor(claims.sid, claims.terminal);
      if (full) return next(refuse(full, "limit"));
      socket.data = { claims, handshake: handshake.data } satisfies SocketData;
      next();
    } catch (error) {
      if (error instanceof TerminalTokenError) return next(refuse(error.message, error.reason));
      log.error({ err: error }, "authentication failed unexpectedly");
      next(refuse("the terminal service could not check your token; try again", "internal"));
    }
  };
}
