import type { Db } from "~/core/db";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import { codeExpiry, DEFAULT_CODE_DAYS, formatJoinCode } from "./joinCode";
import { withFreshJoinCode } from "./freshJoinCode";

/** Replaces the class's join code (the old one stops working at once) with one valid for codeDays. */
export async function rotateCode(options: { db: Db; actor: Actor; classId: string; codeDays?: number }) {
  const klass = await getTaughtClass(options.db, options.actor, options.classId);
  const expires = codeExpiry(options.codeDays ?? DEFAULT_CODE_DAYS);
  const updated = await withFreshJoinCode((joinCode) =>
    options.db.class.update({ where: { id: klass.id }, data: { joinCode, joinCodeExpiresAt: expires } }),
  );
  return { joinCode: formatJoinCode(updated.joinCode), joinCodeExpiresAt: updated.joinCodeExpiresAt };
}
