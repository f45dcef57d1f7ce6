// Who am I, as the account menu shows it: no ids. A guest has no email (theirs is a placeholder).
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { parseAccountRole, type AccountRole } from "~/protocol/accountRoles";

export type Me = { name: string; email: string | null; role: AccountRole; guest: boolean };

export async function getMe(db: Db, userId: string): Promise<Me> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { name: true, email: true, role: true, isAnonymous: true },
  });
  if (!user) throw new AppError("UNAUTHORIZED", "Your account no longer exists: reload the page to get a new guest identity.");
  const guest = user.isAnonymous === true;
  return { name: user.name, email: guest ? null : user.email, role: parseAccountRole(user.role), guest };
}
