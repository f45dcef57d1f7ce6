// What an account may do on the platform: the one vocabulary of account roles. Browser-safe.
// (How someone takes part in one session is src/protocol/roles.ts.)
import { z } from "zod";

/** Everyone at first: starts labs, joins classes. */
export const LEARNER = "learner";
/** Creates classes, assigns labs, watches and helps their learners. */
export const TEACHER = "instructor";
/** Makes instructors; acts on every class as its instructor would. */
export const ADMIN = "admin";

export const ACCOUNT_ROLES = [LEARNER, TEACHER, ADMIN] as const;
export const accountRoleSchema = z.enum(ACCOUNT_ROLES);
export type AccountRole = z.infer<typeof accountRoleSchema>;

/** A stored role read back; anything unknown is the least privileged. */
export function parseAccountRole(value: unknown): AccountRole {
  const parsed = accountRoleSchema.safeParse(value);
  return parsed.success ? parsed.data : LEARNER;
}

export const mayTeach = (role: AccountRole) => role === TEACHER || role === ADMIN;
export const mayAdminister = (role: AccountRole) => role === ADMIN;
