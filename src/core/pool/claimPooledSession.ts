// A learner's start takes a ready session from its lab's pool (called by startSession inside its
// transaction, after the learner's limit, before the platform's caps). The claimed row gets
// everything a fresh start would write: its owner, fresh params, its own expiry, class and times.
// What else could carry a previous state cannot exist: nobody has access to a pooled session
// (src/core/access/sessions.ts), so no member, check, reveal or terminal touched it, and the claim
// re-checks that in the same statement.
import type { LabSession, Prisma } from "~/generated/prisma/client";
import type { Lab } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { newSessionParams } from "~/core/sessions/sessionParams";
import { NOW_UTC, secondsAgo } from "~/core/workers/registry";
import { Status } from "~/protocol/sessionStatus";
import { POOL_OWNER } from "./poolOwner";
import { POOL_EXPIRY_MARGIN_MINUTES } from "./poolTuning";

type Tx = Prisma.TransactionClient;

/**
 * The oldest READY pooled session of this lab with the lab's current hash, on a live worker, now the
 * learner's; undefined when the pool has none. Rows another transaction holds (another claim, a
 * release, the refill) are skipped, never waited for.
 */
export async function claimPooledSession(
  tx: Tx,
  options: {
    lab: Lab;
    ownerId: string;
    ttlMinutes: number;
    classId?: string;
    assignmentId?: string;
    staleSeconds: number;
  },
): Promise<LabSession | undefined> {
  const { labHash } = sessionLabColumns(options.lab);
  const found = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT s."id" FROM "LabSession" s JOIN "Worker" w ON w."id" = s."workerId"
    WHERE s."labSlug" = ${options.lab.slug} AND s."labHash" = ${labHash}
      AND s."pooledAt" IS NOT NULL AND s."ownerId" = ${POOL_OWNER}
      AND s."status" = ${Status.ready}::"SessionStatus"
      AND s."expiresAt" > ${NOW_UTC} + make_interval(mins => ${POOL_EXPIRY_MARGIN_MINUTES}::int)
      AND s."lastActivityAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "SessionMember" m WHERE m."sessionId" = s."id")
      AND NOT EXISTS (SELECT 1 FROM "CheckRun" r WHERE r."sessionId" = s."id")
      AND NOT EXISTS (SELECT 1 FROM "CheckResult" c WHERE c."sessionId" = s."id")
      AND NOT EXISTS (SELECT 1 FROM "SolutionReveal" v WHERE v."sessionId" = s."id")
      AND w."heartbeatAt" > ${secondsAgo(options.staleSeconds)} AND NOT w."draining" AND w."stoppedAt" IS NULL
    ORDER BY s."pooledAt", s."id"
    LIMIT 1
    FOR UPDATE OF s SKIP LOCKED`;
  const id = found[0]?.id;
  if (id === undefined) return undefined;
  const now = new Date();
  return tx.labSession.update({
    where: { id },
    data: {
      ownerId: options.ownerId,
      pooledAt: null,
      params: newSessionParams(),
      expiresAt: new Date(now.getTime() + options.ttlMinutes * 60_000),
      createdAt: now,
      readyAt: now,
      classId: options.classId ?? null,
      assignmentId: options.assignmentId ?? null,
      statusReason: null,
      endReason: null,
      helpRequestedAt: null,
      helpMessage: null,
      extendedMinutes: 0,
    },
  });
}
