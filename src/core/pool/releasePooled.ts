// A learner comes before the pool: when a start has to wait for a place (src/core/queue/), it calls
// releasePooled in its transaction, which stops unclaimed pooled sessions until their containers
// cover what the start needs. The refill makes no new ones while anyone waits (refillPools.ts).
// Pooled sessions released earlier and still stopping count as freeing room already: every admitter
// run and every start joining the line calls this again, and must not stop another `needed` each time.
import type { Prisma } from "~/generated/prisma/client";
import type { Boss } from "~/core/jobs/boss";
import { sessionContainerCount } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import { plannedContainers } from "~/core/workers/placement";
import { Status } from "~/protocol/sessionStatus";
import { POOL_OWNER } from "./poolOwner";
import { lockPooled, stopPooled } from "./stopPooled";

type Tx = Prisma.TransactionClient;

export const RELEASED_REASON = "Released from the pool: a learner needed its place";

/** Containers of pooled sessions stopped already (STOPPING: released or replaced, teardown not finished). */
export async function pooledStopping(tx: Tx): Promise<number> {
  const perWorker = await plannedContainers(tx, { pooledAt: { not: null }, ownerId: POOL_OWNER, status: Status.stopping });
  let containers = 0;
  for (const total of perWorker.values()) containers += total.containers;
  return containers;
}

/**
 * Stops unclaimed pooled sessions (ready or starting, oldest first) until `needed` containers will
 * be freed, counting those of pooled sessions already stopping, or the pool is empty. Returns the
 * sessions stopped by this call and the containers they free (once their teardown ends).
 */
export async function releasePooled(tx: Tx, boss: Boss, needed: number): Promise<{ sessionIds: string[]; containers: number }> {
  const released = { sessionIds: [] as string[], containers: 0 };
  if (needed <= 0) return released;
  const freeing = await pooledStopping(tx);
  // One at a time, so the rows not needed stay free for starts claiming them meanwhile.
  while (freeing + released.containers < needed) {
    const [row] = await lockPooled(tx, undefined, 1);
    if (!row || !(await stopPooled(tx, boss, row, RELEASED_REASON))) break;
    released.sessionIds.push(row.id);
    const lab = labOfSession(row);
    released.containers += lab ? sessionContainerCount(lab) : 0;
  }
  return released;
}
