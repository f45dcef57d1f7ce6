// What a dashboard row shows of a session, read in ONE statement: the latest session of each
// learner × assignment of a class (or only of the pairs of some changed sessions), with the checks
// it ever passed and its best submission. Only the columns a row needs: never the stored lab (its
// hash names it; src/core/classroom/dashboard.ts keeps the labs it has seen by hash).
import type { Db } from "~/core/db";
import { Prisma } from "~/generated/prisma/client";
import { SESSION_STATUSES, type SessionStatus } from "~/protocol/sessionStatus";

export type LatestSession = {
  id: string;
  ownerId: string;
  assignmentId: string;
  status: SessionStatus;
  lastActivityAt: Date | null;
  expiresAt: Date;
  helpRequestedAt: Date | null;
  helpMessage: string | null;
  labSlug: string;
  labHash: string | null;
  /** The checks this session ever passed. */
  passed: string[];
  /** Its best submission (the highest score, the first of equals), or null before the first. */
  best: { score: number; maxScore: number } | null;
};

type Raw = Omit<LatestSession, "status" | "best"> & { status: string; score: number | null; maxScore: number | null };

/** The latest session per learner × assignment of the class; with `sessionIds`, only the pairs of these sessions. */
export async function readLatestSessions(db: Db, classId: string, sessionIds?: readonly string[]): Promise<LatestSession[]> {
  if (sessionIds?.length === 0) return [];
  const changedOnly = sessionIds ? Prisma.sql`AND id = ANY(${sessionIds}::uuid[])` : Prisma.empty;
  const raw = await db.$queryRaw<Raw[]>`
    WITH pairs AS (
      SELECT DISTINCT "ownerId", "assignmentId" FROM "LabSession"
      WHERE "classId" = ${classId}::uuid AND "assignmentId" IS NOT NULL ${changedOnly}
    ), latest AS (
      SELECT DISTINCT ON (s."ownerId", s."assignmentId")
        s.id::text AS id, s."ownerId", s."assignmentId"::text AS "assignmentId", s.status::text AS status,
        s."lastActivityAt", s."expiresAt", s."helpRequestedAt", s."helpMessage", s."labSlug", s."labHash"
      FROM "LabSession" s JOIN pairs p ON p."ownerId" = s."ownerId" AND p."assignmentId" = s."assignmentId"
      WHERE s."classId" = ${classId}::uuid
      ORDER BY s."ownerId", s."assignmentId", s."createdAt" DESC
    )
    SELECT l.*,
      ARRAY(SELECT r."checkId" FROM "CheckResult" r WHERE r."sessionId" = l.id::uuid AND r."everPassed") AS passed,
      b.score, b."maxScore"
    FROM latest l
    LEFT JOIN LATERAL (
      SELECT x.score, x."maxScore" FROM "Submission" x WHERE x."sessionId" = l.id::uuid ORDER BY x.score DESC, x."createdAt" LIMIT 1
    ) b ON true`;
  return raw.map(({ score, maxScore, status, ...row }) => ({
    ...row,
    status: sessionStatus(row.id, status),
    best: score === null || maxScore === null ? null : { score, maxScore },
  }));
}

function sessionStatus(sessionId: string, status: string): SessionStatus {
  if (!(SESSION_STATUSES as readonly string[]).includes(status))
    throw new Error(`session ${sessionId} has the status "${status}", which is none of ${SESSION_STATUSES.join(", ")}`);
  return status as SessionStatus;
}
