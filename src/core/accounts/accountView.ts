// How an account appears to an admin (the users table) and to itself (the account menu).
import type { Prisma } from "~/generated/prisma/client";
import { parseAccountRole, type AccountRole } from "~/protocol/accountRoles";

/** Accounts, not guests (isAnonymous is null on rows from before the anonymous plugin's column). */
export const ACCOUNTS_ONLY = { OR: [{ isAnonymous: false }, { isAnonymous: null }] } satisfies Prisma.UserWhereInput;

export const accountSelect = { id: true, name: true, email: true, role: true, createdAt: true } satisfies Prisma.UserSelect;

export type AccountRow = { id: string; name: string; email: string; role: AccountRole; createdAt: Date };

export function accountRow(user: Prisma.UserGetPayload<{ select: typeof accountSelect }>): AccountRow {
  return { ...user, role: parseAccountRole(user.role) };
}
