// An admin makes an account an instructor, or a learner again. Admins are made only by the setup
// token; here an admin can neither demote themselves nor another admin.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { requireAdmin, type Actor } from "~/core/access/classes";
import { ADMIN, type LEARNER, type TEACHER } from "~/protocol/accountRoles";
import { ACCOUNTS_ONLY, accountRow, accountSelect, type AccountRow } from "./accountView";

export const CANNOT_CHANGE_OWN_ROLE = "An admin cannot change their own role: another admin would have to (none can here).";
export const CANNOT_CHANGE_ADMIN = "This account is an admin: admins cannot be made instructors or learners here.";
export const NO_SUCH_ACCOUNT = "No account has this id (guests cannot be given a role): pick a user from the admin page's list.";

export async function setRole(
  db: Db,
  actor: Actor,
  input: { userId: string; role: typeof LEARNER | typeof TEACHER },
): Promise<AccountRow> {
  requireAdmin(actor);
  if (input.userId === actor.id) throw new AppError("FORBIDDEN", CANNOT_CHANGE_OWN_ROLE);
  const { count } = await db.user.updateMany({
    where: { AND: [{ id: input.userId }, ACCOUNTS_ONLY, { role: { not: ADMIN } }] },
    data: { role: input.role },
  });
  const user = await db.user.findFirst({ where: { AND: [{ id: input.userId }, ACCOUNTS_ONLY] }, select: accountSelect });
  if (!user) throw new AppError("NOT_FOUND", NO_SUCH_ACCOUNT);
  if (count === 0) throw new AppError("FORBIDDEN", CANNOT_CHANGE_ADMIN);
  return accountRow(user);
}
