import type { Db } from "~/core/db";
import { requireTeacher, type Actor } from "~/core/access/classes";
import { codeExpiry, DEFAULT_CODE_DAYS } from "./joinCode";
import { withFreshJoinCode } from "./freshJoinCode";

/** An instructor (or admin) creates a class; it gets a join code at once. */
export async function createClass(options: { db: Db; actor: Actor; name: string; codeDays?: number }) {
  requireTeacher(options.actor);
  const expires = codeExpiry(options.codeDays ?? DEFAULT_CODE_DAYS);
  const klass = await withFreshJoinCode((joinCode) =>
    options.db.class.create({
      data: { name: options.name, instructorId: options.actor.id, joinCode, joinCodeExpiresAt: expires },
    }),
  );
  return { id: klass.id, name: klass.name };
}
