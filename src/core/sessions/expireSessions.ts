import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { EndReason } from "~/protocol/sessionEnd";
import { LIVE } from "~/protocol/sessionStatus";
import { requestTeardown } from "./requestTeardown";

export const EXPIRED_REASON = "The session expired; removing its containers";

/** Stops every running or starting session past its expiry (a failed one keeps its reason). Returns the ids it stopped. */
export async function expireSessions(options: { db: Db; boss: Boss; now?: Date }): Promise<string[]> {
  const expired = await options.db.labSession.findMany({
    where: { status: { in: [...LIVE] }, expiresAt: { lt: options.now ?? new Date() } },
    select: { id: true },
    take: 500,
  });
  const stopped: string[] = [];
  for (const { id } of expired) {
    if (await requestTeardown(options.db, options.boss, id, EXPIRED_REASON, EndReason.expired)) stopped.push(id);
  }
  return stopped;
}
