// Which of an engine's live sessions belong on another engine now: held by another worker whose
// engine is not this one (placed elsewhere while this worker was away). Reconcile removes their
// objects here. Workers sharing one engine (tests, one installation on one host) leave each other's alone.
import type { Db } from "~/core/db";
import { SETTLED } from "~/protocol/sessionStatus";

export async function sessionsOnOtherEngines(
  db: Db,
  options: { sessionIds: string[]; me: string; engineId: string },
): Promise<string[]> {
  const held = await db.labSession.findMany({
    where: { id: { in: options.sessionIds }, workerId: { not: options.me }, status: { notIn: [...SETTLED] } },
    select: { id: true, workerId: true },
  });
  const holders = [...new Set(held.map((s) => s.workerId!))];
  if (holders.length === 0) return [];
  const elsewhere = await db.worker.findMany({
    where: { id: { in: holders }, engineId: { not: options.engineId } },
    select: { id: true },
  });
  const other = new Set(elsewhere.map((w) => w.id));
  return held.filter((s) => other.has(s.workerId!)).map((s) => s.id);
}
