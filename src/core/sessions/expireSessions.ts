import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { ACTIVE_STATUSES } from "./sessionView";
import { requestTeardown } from "./requestTeardown";

/** Stops every session past its expiry. Returns the ids it stopped. */
export async function expireSessions(options: { db: Db; boss: Boss; now?: Date }): Promise<string[]> {
  const expired = await options.db.labSession.findMany({
    where: { status: { in: ACTIVE_STATUSES.filter((s) => s !== "STOPPING") }, expiresAt: { lt: options.now ?? new Date() } },
    select: { id: true },
    take: 500,
  });
  const stopped: string[] = [];
  for (const { id } of expired) {
    if (await requestTeardown(options.db, options.boss, id, "The session expired; removing its containers")) stopped.push(id);
  }
  return stopped;
}
