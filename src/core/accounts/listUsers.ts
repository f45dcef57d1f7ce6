// The admin's users table: accounts (not guests), newest first, 50 a page, searched by email or name.
import type { Db } from "~/core/db";
import { requireAdmin, type Actor } from "~/core/access/classes";
import { ACCOUNTS_ONLY, accountRow, accountSelect, type AccountRow } from "./accountView";

export const USERS_PAGE = 50;

export async function listUsers(
  db: Db,
  actor: Actor,
  input: { query?: string; cursor?: string },
): Promise<{ users: AccountRow[]; nextCursor: string | null }> {
  requireAdmin(actor);
  const query = input.query?.trim();
  const rows = await db.user.findMany({
    where: {
      AND: [
        ACCOUNTS_ONLY,
        query
          ? { OR: [{ email: { contains: query, mode: "insensitive" } }, { name: { contains: query, mode: "insensitive" } }] }
          : {},
      ],
    },
    select: accountSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: USERS_PAGE + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  return {
    users: rows.slice(0, USERS_PAGE).map(accountRow),
    nextCursor: rows.length > USERS_PAGE ? rows[USERS_PAGE - 1]!.id : null,
  };
}
