import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { findLab } from "~/server/labs/catalog";
import type { TerminalRole } from "~/shared/terminal-protocol";
import { signTerminalToken, TERMINAL_TOKEN_TTL_SECONDS } from "~/shared/terminal-token";
import { getSessionAccess, terminalRoleFor } from "./getSessionAccess";

/** A short-lived token for one terminal of a running session the user owns or was invited to. */
export async function issueTerminalToken(options: {
  db: Db;
  secret: string;
  workerUrl: string;
  userId: string;
  sessionId: string;
  terminal: string;
}): Promise<{ token: string; url: string; expiresInSeconds: number; role: TerminalRole }> {
  const { session, access } = await getSessionAccess(options);
  if (session.status !== "READY") {
    throw new AppError("CONFLICT", `The lab is ${session.status.toLowerCase()}, not running: a terminal opens once it is ready.`);
  }
  const lab = findLab(session.labSlug);
  const terminals = ["host", ...(lab?.containers.map((c) => c.name) ?? [])];
  if (!terminals.includes(options.terminal)) {
    const names = terminals.join(", ");
    throw new AppError("NOT_FOUND", `This lab has no terminal "${options.terminal}". Terminals: ${names}.`);
  }
  const token = await signTerminalToken(options.secret, {
    sub: options.userId,
    sid: session.id,
    terminal: options.terminal,
    role: terminalRoleFor(access),
  });
  return { token, url: options.workerUrl, expiresInSeconds: TERMINAL_TOKEN_TTL_SECONDS, role: terminalRoleFor(access) };
}
