import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { labOfSession } from "~/core/labs/sessionLab";
import { engineViewOf } from "~/core/sessions/engineView";
import { signTerminalToken, TERMINAL_TOKEN_TTL_SECONDS } from "~/core/sessions/terminalToken";
import { sessionTerminals } from "~/protocol/labNames";
import { INSTRUCTOR, terminalRoleFor, VIEWER, type Access, type TerminalRole } from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { getSessionAccess } from "~/core/access/sessions";
import { workerById } from "~/core/workers/registry";
import { resolveClientId } from "./clientId";

/** How an instructor opens a learner's terminal: watching (read-only, the default) or typing (may take over). */
export const TERMINAL_MODES = ["watch", "type"] as const;
export type TerminalMode = (typeof TERMINAL_MODES)[number];

/** The token's role: everyone as their access gives; an instructor as a viewer to watch, as an instructor to type. */
export function tokenRoleFor(access: Access, mode: TerminalMode | undefined): TerminalRole {
  if (access === INSTRUCTOR) return mode === "type" ? INSTRUCTOR : VIEWER;
  return terminalRoleFor(access);
}

/**
 * A short-lived token for one terminal of a running session the user owns or was invited to. It
 * names the tab (its client id, kept across reconnects) and what others see of the user (handle).
 * `url` is the gateway of the session's worker (its registered publicUrl); a session whose worker is
 * not registered (none yet, or a row from before the registry) gets `fallbackWorkerUrl`.
 */
export async function issueTerminalToken(options: {
  db: Db;
  secret: string;
  /** The web's WORKER_PUBLIC_URL. */
  fallbackWorkerUrl: string;
  userId: string;
  handle: string;
  sessionId: string;
  terminal: string;
  /** The client id this tab was given before, if any. */
  clientId?: string;
  /** An instructor's: watch (default) or type; others' role does not depend on it. */
  mode?: TerminalMode;
}): Promise<{
  token: string;
  clientId: string;
  url: string;
  expiresInSeconds: number;
  role: TerminalRole;
  /** The class's instructor (or an admin): the page offers Take over / Hand back. */
  canTakeOver: boolean;
}> {
  const { session, access } = await getSessionAccess(options);
  if (!isRunning(session.status)) {
    throw new AppError("CONFLICT", `The lab is ${session.status.toLowerCase()}, not running: a terminal opens once it is ready.`);
  }
  const terminals = sessionTerminals(labOfSession(session), engineViewOf(session));
  if (!terminals.includes(options.terminal)) {
    const names = terminals.join(", ");
    throw new AppError(
      "NOT_FOUND",
      `This session has no container "${options.terminal}" (it was removed, or never created). Terminals: ${names}.`,
    );
  }
  const worker = session.workerId === null ? null : await workerById(options.db, session.workerId);
  const clientId = resolveClientId(options.secret, options.userId, options.clientId);
  const role = tokenRoleFor(access, options.mode);
  const token = await signTerminalToken(options.secret, {
    sub: options.userId,
    sid: session.id,
    terminal: options.terminal,
    role,
    cid: clientId,
    handle: options.handle,
  });
  return {
    token,
    clientId,
    url: worker?.publicUrl ?? options.fallbackWorkerUrl,
    expiresInSeconds: TERMINAL_TOKEN_TTL_SECONDS,
    role,
    canTakeOver: access === INSTRUCTOR,
  };
}
