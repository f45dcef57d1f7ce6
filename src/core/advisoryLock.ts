// Transaction-scoped PostgreSQL advisory locks: held until the transaction commits or rolls back,
// so a check-then-insert inside it cannot interleave with another one on the same key.
import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/** One namespace per guarded decision (the first key of the two-key lock). */
export const LOCKS = {
  /** Per learner: the active-session limit. */
  userSessions: 7001,
  /** Platform-wide: the session and container caps (key 0). */
  platformCapacity: 7002,
  /** Per session: Submit (one in flight, a minimum interval). */
  sessionSubmit: 7003,
  /** Platform-wide: refilling the pools of ready sessions (src/core/pool/), one worker at a time (key "all"). */
  poolRefill: 7004,
} as const;

export async function advisoryXactLock(tx: Tx, namespace: number, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${namespace}::int, hashtext(${key}))`;
}

/** Like advisoryXactLock, without waiting: false when another transaction holds it. */
export async function tryAdvisoryXactLock(tx: Tx, namespace: number, key: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<Array<{ locked: boolean }>>`
    SELECT pg_try_advisory_xact_lock(${namespace}::int, hashtext(${key})) AS "locked"`;
  return row?.locked === true;
}

/** Prisma's defaults (2 s to get a connection, 5 s in all) are short for a transaction that queues on a lock. */
export const LOCKED_TRANSACTION = { maxWait: 10_000, timeout: 20_000 } as const;
