// Placement: which worker (lab host) a session starts on. The least loaded live worker with room for
// the session's containers; load = its containers at the last heartbeat + the planned containers of
// the sessions placed on it that are still starting (they are not on its engine yet, or only partly),
// and never less than the planned containers of all its sessions not yet stopped (one that became
// READY since the last heartbeat is in neither of the first two).
import { advisoryXactLock, LOCKS } from "~/core/advisoryLock";
import { AppError } from "~/core/errors";
import { sessionContainerCount } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import type { Prisma } from "~/generated/prisma/client";
import { ACTIVE, STARTING } from "~/protocol/sessionStatus";
import { liveWorkers } from "./registry";

type Tx = Prisma.TransactionClient;

/** A session whose lab predates stored labs and is no longer offered (or cannot be read) counts as this many containers. */
export const UNKNOWN_LAB_CONTAINERS = 2;

/**
 * Sessions matching `where` and the containers their labs plan, per workerId (null: unplaced). Each
 * distinct lab is read once (its stored spec is the same for every session of the group).
 */
export async function plannedContainers(
  tx: Tx,
  where: Prisma.LabSessionWhereInput,
): Promise<Map<string | null, { sessions: number; containers: number }>> {
  const groups = await tx.labSession.groupBy({ by: ["workerId", "labSlug", "labHash"], where, _count: { _all: true } });
  const perLab = new Map<string, number>();
  const totals = new Map<string | null, { sessions: number; containers: number }>();
  for (const group of groups) {
    const labKey = `${group.labSlug}\n${group.labHash ?? ""}`;
    let each = perLab.get(labKey);
    if (each === undefined) {
      // Any session of that lab and hash will do, whatever its status now: a worker may have moved the
      // grouped ones on (stopped them) since the groupBy read them.
      const sample = await tx.labSession.findFirst({
        where: { labSlug: group.labSlug, labHash: group.labHash },
        select: { id: true, labSlug: true, lab: true, labHash: true },
      });
      const lab = sample ? labOfSession(sample) : undefined;
      each = lab ? sessionContainerCount(lab) : UNKNOWN_LAB_CONTAINERS;
      perLab.set(labKey, each);
    }
    const total = totals.get(group.workerId) ?? { sessions: 0, containers: 0 };
    total.sessions += group._count._all;
    total.containers += group._count._all * each;
    totals.set(group.workerId, total);
  }
  return totals;
}

/**
 * The worker a session needing `needed` containers starts on, decided under the platform capacity lock
 * (taken here; the caller's transaction may hold it already). Among live workers (heartbeat within
 * staleSeconds, not draining, not stopped, not in `exclude`): the least loaded with load + needed <=
 * capacity, ties to the lowest id. None live (or all excluded) → null: unplaced, the shared queue, and
 * whichever worker takes the job claims it. Live ones but none with room → UNAVAILABLE.
 */
export async function placeSession(
  tx: Tx,
  options: { needed: number; staleSeconds: number; exclude?: string[] },
): Promise<string | null> {
  await advisoryXactLock(tx, LOCKS.platformCapacity, "all");
  const excluded = new Set(options.exclude ?? []);
  const workers = (await liveWorkers(tx, options.staleSeconds)).filter((worker) => !excluded.has(worker.id));
  if (workers.length === 0) return null;
  const onThem = { workerId: { in: workers.map((worker) => worker.id) } };
  const starting = await plannedContainers(tx, { ...onThem, status: { in: [...STARTING] } });
  const active = await plannedContainers(tx, { ...onThem, status: { in: [...ACTIVE] } });
  const loadOf = (id: string, containers: number) =>
    Math.max(containers + (starting.get(id)?.containers ?? 0), active.get(id)?.containers ?? 0);
  const loads = workers
    .map((worker) => ({ worker, load: loadOf(worker.id, worker.containers) }))
    .sort((a, b) => a.load - b.load || (a.worker.id < b.worker.id ? -1 : a.worker.id > b.worker.id ? 1 : 0));
  const fits = loads.find(({ worker, load }) => load + options.needed <= worker.capacity);
  if (fits) return fits.worker.id;
  const roomiest = loads.reduce((best, next) =>
    next.worker.capacity - next.load > best.worker.capacity - best.load ? next : best,
  );
  const free = Math.max(0, roomiest.worker.capacity - roomiest.load);
  throw new AppError(
    "UNAVAILABLE",
    `Every lab host is full: this lab needs ${options.needed} containers and the roomiest host has ${free} of ${roomiest.worker.capacity} free. Please try again in a few minutes.`,
  );
}
