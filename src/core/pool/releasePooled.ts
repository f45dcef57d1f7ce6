// A learner comes before the pool: when a start has to wait for a place (src/core/queue/), it calls
// releasePooled in its transaction, which stops unclaimed pooled sessions until their containers
// cover what the start needs. The refill makes no new ones while anyone waits (refillPools.ts).
import type { Prisma } from "~/generated/prisma/client";
import type { Boss } from "~/core/jobs/boss";
import { sessionContainerCount } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import { lockPooled, stopPooled } from "./stopPooled";

type Tx = Prisma.TransactionClient;

export const RELEASED_REASON = "Released from the pool: a learner needed its place";

/**
 * Stops unclaimed pooled sessions (ready or starting, oldest first) until `needed` containers will
 * be freed, or the pool is empty. Returns the sessions stopped and the containers they free (once
 * their teardown ends).
 */
export async function releasePooled(tx: Tx, boss: Boss, needed: number): Promise<{ sessionIds: string[]; containers: number }> {
  const released = { sessionIds: [] as string[], containers: 0 };
  if (needed <= 0) return released;
  // One at a time, so the rows not needed stay free for starts claiming them meanwhile.
  while (released.containers < needed) {
    const [row] = await lockPooled(tx, undefined, 1);
    if (!row || !(await stopPooled(tx, boss, row, RELEASED_REASON))) break;
    released.sessionIds.push(row.id);
    const lab = labOfSession(row);
    released.containers += lab ? sessionContainerCount(lab) : 0;
  }
  return released;
}
