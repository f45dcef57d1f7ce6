// A class's live dashboard: a row per learner × assigned lab (dashboardRow.ts), read in a fixed
// number of queries however large the class: its members, their names, its assignments, the
// sessions' keys, the latest sessions, their check results and their submissions. `only` narrows
// the read to the learner × assignment pairs of some changed sessions (the live stream's re-read).
import type { Db } from "~/core/db";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import { findLab } from "~/core/labs/catalog";
import { labOfSession } from "~/core/labs/sessionLab";
import { dashboardSession, latestPerPair, rowKey, type DashboardRow } from "./dashboardRow";

export type Dashboard = { classId: string; className: string; rows: DashboardRow[] };

/** The class's dashboard, for its instructor (or an admin); refused like classes.get to anyone else. */
export async function readDashboard(options: { db: Db; actor: Actor; classId: string }): Promise<Dashboard> {
  const klass = await getTaughtClass(options.db, options.actor, options.classId);
  return { classId: klass.id, className: klass.name, rows: await readRows(options.db, klass.id) };
}

/**
 * The rows of a class (whose access the caller checked): all of them, or with `sessionIds` only
 * those of the learner × assignment pairs of these sessions.
 */
export async function readRows(db: Db, classId: string, sessionIds?: ReadonlySet<string>): Promise<DashboardRow[]> {
  let pairs: { ownerId: string; assignmentId: string }[] | undefined;
  if (sessionIds) {
    if (sessionIds.size === 0) return [];
    const changed = await db.labSession.findMany({
      where: { id: { in: [...sessionIds] }, classId },
      select: { ownerId: true, assignmentId: true },
    });
    pairs = changed.flatMap((s) => (s.assignmentId ? [{ ownerId: s.ownerId, assignmentId: s.assignmentId }] : []));
    if (pairs.length === 0) return [];
  }
  const ownerIds = pairs ? [...new Set(pairs.map((p) => p.ownerId))] : undefined;
  const assignmentIds = pairs ? [...new Set(pairs.map((p) => p.assignmentId))] : undefined;
  const [members, assignments, keys] = await Promise.all([
    db.classMember.findMany({
      where: { classId, ...(ownerIds ? { userId: { in: ownerIds } } : {}) },
      orderBy: { joinedAt: "asc" },
    }),
    db.assignment.findMany({
      where: { classId, ...(assignmentIds ? { id: { in: assignmentIds } } : {}) },
      orderBy: { createdAt: "asc" },
    }),
    db.labSession.findMany({
      where: {
        classId,
        assignmentId: assignmentIds ? { in: assignmentIds } : { not: null },
        ...(ownerIds ? { ownerId: { in: ownerIds } } : {}),
      },
      select: { id: true, ownerId: true, assignmentId: true, createdAt: true },
    }),
  ]);
  const latestIds = [...latestPerPair(keys).values()].map((s) => s.id);
  const [users, sessions, results, submissions] = await Promise.all([
    db.user.findMany({ where: { id: { in: members.map((m) => m.userId) } }, select: { id: true, name: true } }),
    db.labSession.findMany({ where: { id: { in: latestIds } } }),
    db.checkResult.findMany({
      where: { sessionId: { in: latestIds }, everPassed: true },
      select: { sessionId: true, checkId: true },
    }),
    db.submission.findMany({ where: { sessionId: { in: latestIds } }, select: { sessionId: true, score: true, maxScore: true } }),
  ]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const passedBySession = groupBy(results, (r) => r.sessionId);
  const scoresBySession = groupBy(submissions, (s) => s.sessionId);
  const latest = latestPerPair(sessions);
  const wanted = pairs ? new Set(pairs.map((p) => rowKey(p.ownerId, p.assignmentId))) : undefined;
  const rows: DashboardRow[] = [];
  for (const member of members) {
    for (const assignment of assignments) {
      const key = rowKey(member.userId, assignment.id);
      if (wanted && !wanted.has(key)) continue;
      const session = latest.get(key);
      rows.push({
        key,
        learnerId: member.userId,
        learnerName: names.get(member.userId) ?? "a learner who left",
        assignmentId: assignment.id,
        labSlug: assignment.labSlug,
        labTitle: findLab(assignment.labSlug)?.title ?? assignment.labSlug,
        session: session
          ? dashboardSession(
              session,
              labOfSession(session),
              new Set((passedBySession.get(session.id) ?? []).map((r) => r.checkId)),
              scoresBySession.get(session.id) ?? [],
            )
          : null,
      });
    }
  }
  return rows;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
