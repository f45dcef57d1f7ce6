// One row of a class's live dashboard, from what the dashboard reads (pure): a learner × an
// assigned lab, and that assignment's latest session of the learner, or "not started".
import type { Lab } from "~/core/labs/schema";
import { IN_PROGRESS, isIn, SETTLED, type SessionStatus } from "~/protocol/sessionStatus";

export type DashboardSession = {
  sessionId: string;
  status: SessionStatus;
  /** The first step not fully passed (every check passed once), or null when all are. */
  currentStep: { id: string; title: string } | null;
  checksPassed: number;
  checksTotal: number;
  /** The best of this session's submissions, or null before the first. */
  best: { score: number; maxScore: number } | null;
  lastActivityAt: Date | null;
  expiresAt: Date;
  help: { raisedAt: Date; message: string | null } | null;
  inProgress: boolean;
  isSettled: boolean;
};

export type DashboardRow = {
  /** learnerId:assignmentId, stable across updates. */
  key: string;
  /** Used to address a message to this learner; the page shows the name only. */
  learnerId: string;
  learnerName: string;
  assignmentId: string;
  labSlug: string;
  labTitle: string;
  session: DashboardSession | null;
};

export const rowKey = (learnerId: string, assignmentId: string) => `${learnerId}:${assignmentId}`;

/** The checks passed so far (each counted once it ever passed), the total, and the first step not fully passed. */
export function stepStanding(lab: Lab | undefined, everPassed: ReadonlySet<string>) {
  const steps = lab?.steps ?? [];
  const checks = steps.flatMap((s) => s.checks);
  const current = steps.find((s) => !s.checks.every((c) => everPassed.has(c.id)));
  return {
    currentStep: current ? { id: current.id, title: current.title } : null,
    checksPassed: checks.filter((c) => everPassed.has(c.id)).length,
    checksTotal: checks.length,
  };
}

export function dashboardSession(
  row: {
    id: string;
    status: SessionStatus;
    lastActivityAt: Date | null;
    expiresAt: Date;
    helpRequestedAt: Date | null;
    helpMessage: string | null;
  },
  lab: Lab | undefined,
  everPassed: ReadonlySet<string>,
  scores: readonly { score: number; maxScore: number }[],
): DashboardSession {
  const best = scores.reduce<{ score: number; maxScore: number } | null>((b, s) => (b && b.score >= s.score ? b : s), null);
  return {
    sessionId: row.id,
    status: row.status,
    ...stepStanding(lab, everPassed),
    best: best ? { score: best.score, maxScore: best.maxScore } : null,
    lastActivityAt: row.lastActivityAt,
    expiresAt: row.expiresAt,
    help: row.helpRequestedAt ? { raisedAt: row.helpRequestedAt, message: row.helpMessage } : null,
    inProgress: isIn(row.status, IN_PROGRESS),
    isSettled: isIn(row.status, SETTLED),
  };
}

/** The latest session per learner × assignment, from (id, owner, assignment, createdAt) of many. */
export function latestPerPair<T extends { ownerId: string; assignmentId: string | null; createdAt: Date }>(rows: readonly T[]) {
  const latest = new Map<string, T>();
  for (const row of rows) {
    if (!row.assignmentId) continue;
    const key = rowKey(row.ownerId, row.assignmentId);
    const seen = latest.get(key);
    if (!seen || seen.createdAt < row.createdAt) latest.set(key, row);
  }
  return latest;
}
