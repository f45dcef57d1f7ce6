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
} as const;

export async function advisoryXactLock(tx: Tx, namespace: number, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${namespace}::int, hashtext(${key}))`;
}

/** Prisma's defaults (2 s to get a connection, 5 s in all) are short for a transaction that queues on a lock. */
export const LOCKED_TRANSACTION = { maxWait: 10_000, timeout: 20_000 } as const;
