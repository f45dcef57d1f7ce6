// How someone takes part in a session: the one role vocabulary of tRPC, the gateway and the page.
// Browser-safe. The database spells members' roles in capitals (Prisma's MemberRole); the only
// conversions are in src/core/access/sessions.ts.
import { z } from "zod";

/** The learner who started the session. */
export const OWNER = "owner";
/** Invited: may type and run checks. */
export const DRIVER = "driver";
/** Invited: watches; cannot type or run checks. */
export const VIEWER = "viewer";
/** May type, and take over a terminal. */
export const INSTRUCTOR = "instructor";

export const ACCESS = [OWNER, DRIVER, VIEWER, INSTRUCTOR] as const;
export type Access = (typeof ACCESS)[number];

/** What an invite link may grant. */
export const inviteRoleSchema = z.enum([DRIVER, VIEWER]);
export type InviteRole = z.infer<typeof inviteRoleSchema>;

/** A terminal connection's role: the owner types as a driver. */
export const terminalRoleSchema = z.enum([DRIVER, VIEWER, INSTRUCTOR]);
export type TerminalRole = z.infer<typeof terminalRoleSchema>;

export function terminalRoleFor(access: Access): TerminalRole {
  return access === OWNER ? DRIVER : access;
}

export const mayType = (role: Access | TerminalRole) => role !== VIEWER;
export const mayCheck = (access: Access) => access !== VIEWER;
export const maySubmit = (access: Access) => access === OWNER;
export const mayShare = (access: Access) => access === OWNER;
export const mayTakeOver = (role: Access | TerminalRole) => role === INSTRUCTOR;
