// socket.io middleware: a connection gets a terminal only with a valid, unexpired token for the
// session and terminal it asks for, held by the session's owner, while the session is READY.
import type { Socket } from "socket.io";
import type { Db } from "~/server/db";
import { handshakeSchema, refusal } from "~/shared/terminal-protocol";
import { TerminalTokenError, verifyTerminalToken, type TerminalClaims } from "~/shared/terminal-token";

export type SocketData = { claims: TerminalClaims };

function refuse(message: string, reason: string): Error & { data: { reason: string } } {
  return Object.assign(new Error(message), { data: { reason } });
}

export function authenticate(deps: { db: Db; secret: string }) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const claims = await verifyTerminalToken(deps.secret, auth.token);
      const handshake = handshakeSchema.safeParse(auth);
      if (!handshake.success) return next(refuse(refusal.badHandshake, "bad-handshake"));
      if (claims.sid !== handshake.data.sessionId || claims.terminal !== handshake.data.terminal) {
        return next(refuse(refusal.otherSession, "other-session"));
      }
      const session = await deps.db.labSession.findUnique({ where: { id: claims.sid } });
      if (!session || session.ownerId !== claims.sub || session.status !== "READY") {
        return next(refuse(refusal.sessionNotReady, "not-ready"));
      }
      (socket.data as SocketData).claims = claims;
      next();
    } catch (error) {
      if (error instanceof TerminalTokenError) return next(refuse(error.message, error.reason));
      console.error("[gateway] authentication failed unexpectedly:", error);
      next(refuse("the terminal service could not check your token; try again", "internal"));
    }
  };
}
