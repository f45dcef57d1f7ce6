import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { getSessionAccess } from "~/core/access/sessions";
import { workerById } from "~/core/workers/registry";
import { mayType, terminalRoleFor, type TerminalRole } from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { CAPTURE_TOKEN_TTL_SECONDS, signCaptureToken } from "./captureToken";

/**
 * A short-lived token for the /capture namespace of a running session the user owns, was invited
 * to, or teaches. `url` is the session's worker gateway (as for terminal tokens); `canCapture`:
 * the role may start and stop captures (everyone but a viewer).
 */
export async function issueCaptureToken(options: {
  db: Db;
  secret: string;
  /** The web's WORKER_PUBLIC_URL. */
  fallbackWorkerUrl: string;
  userId: string;
  handle: string;
  sessionId: string;
}): Promise<{ token: string; url: string; expiresInSeconds: number; role: TerminalRole; canCapture: boolean }> {
  const { session, access } = await getSessionAccess(options);
  if (!isRunning(session.status)) {
    throw new AppError("CONFLICT", `The lab is ${session.status.toLowerCase()}, not running: captures open once it is ready.`);
  }
  const role = terminalRoleFor(access);
  const token = await signCaptureToken(options.secret, { sub: options.userId, sid: session.id, role, handle: options.handle });
  const worker = session.workerId === null ? null : await workerById(options.db, session.workerId);
  return {
    token,
    url: worker?.publicUrl ?? options.fallbackWorkerUrl,
    expiresInSeconds: CAPTURE_TOKEN_TTL_SECONDS,
    role,
    canCapture: mayType(role),
  };
}
