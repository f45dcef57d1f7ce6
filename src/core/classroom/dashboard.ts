// A class's live dashboard: a row per learner × assigned lab (dashboardRow.ts), for its
// instructor (or an admin). One reader per open dashboard: `table()` checks access and reads the
// class's frame (name, learners with their names, assignments) and every row; `rows()` re-reads
// only the rows of some changed sessions, in one statement (dashboardSessions.ts), against the
// frame of the last table. A roster, assignment or class change re-reads the table (the live
// stream asks for it), so the frame is never older than the last such change the stream heard.
// The labs the sessions run are kept by hash: a row needs the lab's steps and checks, and reading
// (and hash-checking) the stored lab on every change would cost more than the rest of the row.
import type { Db } from "~/core/db";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import { findLab } from "~/core/labs/catalog";
import type { Lab } from "~/core/labs/schema";
import { labOfSession } from "~/core/labs/sessionLab";
import { dashboardSession, rowKey, type DashboardRow } from "./dashboardRow";
import { readLatestSessions, type LatestSession } from "./dashboardSessions";

export type Dashboard = { classId: string; className: string; rows: DashboardRow[] };

type Frame = {
  className: string;
  learners: { id: string; name: string }[];
  assignments: { id: string; labSlug: string; labTitle: string }[];
};

/** The most labs one reader keeps (a class's assignments, and the versions their sessions started with); beyond, it starts afresh. */
const MAX_LABS = 32;

export class DashboardReader {
  private frame: Frame | undefined;
  private readonly labs = new Map<string, Lab | undefined>();

  constructor(
    private readonly db: Db,
    private readonly actor: Actor,
    private readonly classId: string,
  ) {}

  /** Every row, after checking access again (NOT_FOUND/FORBIDDEN to anyone who no longer teaches the class). */
  async table(): Promise<Dashboard> {
    const klass = await getTaughtClass(this.db, this.actor, this.classId);
    const [members, assignments, sessions] = await Promise.all([
      this.db.classMember.findMany({ where: { classId: klass.id }, orderBy: { joinedAt: "asc" }, select: { userId: true } }),
      this.db.assignment.findMany({
        where: { classId: klass.id },
        orderBy: { createdAt: "asc" },
        select: { id: true, labSlug: true },
      }),
      readLatestSessions(this.db, klass.id),
    ]);
    const users = await this.db.user.findMany({
      where: { id: { in: members.map((m) => m.userId) } },
      select: { id: true, name: true },
    });
    const names = new Map(users.map((u) => [u.id, u.name]));
    this.frame = {
      className: klass.name,
      learners: members.map((m) => ({ id: m.userId, name: names.get(m.userId) ?? "a learner who left" })),
      assignments: assignments.map((a) => ({ ...a, labTitle: findLab(a.labSlug)?.title ?? a.labSlug })),
    };
    return { classId: klass.id, className: klass.name, rows: await this.build(this.frame, sessions) };
  }

  /** The rows of the learner × assignment pairs of these sessions (access and frame as of the last table()). */
  async rows(sessionIds: ReadonlySet<string>): Promise<DashboardRow[]> {
    if (!this.frame) return (await this.table()).rows;
    const sessions = await readLatestSessions(this.db, this.classId, [...sessionIds]);
    if (sessions.length === 0) return [];
    return this.build(this.frame, sessions, new Set(sessions.map((s) => rowKey(s.ownerId, s.assignmentId))));
  }

  /** The frame's rows (only the `wanted` keys when given), in its order: learners, then assignments. */
  private async build(frame: Frame, sessions: LatestSession[], wanted?: ReadonlySet<string>): Promise<DashboardRow[]> {
    const latest = new Map(sessions.map((s) => [rowKey(s.ownerId, s.assignmentId), s]));
    await this.loadLabs(sessions);
    const rows: DashboardRow[] = [];
    for (const learner of frame.learners) {
      for (const assignment of frame.assignments) {
        const key = rowKey(learner.id, assignment.id);
        if (wanted && !wanted.has(key)) continue;
        const session = latest.get(key);
        rows.push({
          key,
          learnerId: learner.id,
          learnerName: learner.name,
          assignmentId: assignment.id,
          labSlug: assignment.labSlug,
          labTitle: assignment.labTitle,
          session: session
            ? dashboardSession(
                session,
                this.labs.get(labKey(session)),
                new Set(session.passed),
                session.best ? [session.best] : [],
              )
            : null,
        });
      }
    }
    return rows;
  }

  /** Reads (once per hash, checked by labOfSession) the stored labs of these sessions that this reader has not seen. */
  private async loadLabs(sessions: LatestSession[]) {
    const unseen = () => new Map(sessions.filter((s) => !this.labs.has(labKey(s))).map((s) => [labKey(s), s.id]));
    let missing = unseen();
    if (missing.size === 0) return;
    if (this.labs.size + missing.size > MAX_LABS) {
      this.labs.clear();
      missing = unseen();
    }
    const stored = await this.db.labSession.findMany({
      where: { id: { in: [...missing.values()] } },
      select: { id: true, labSlug: true, lab: true, labHash: true },
    });
    for (const row of stored) this.labs.set(labKey(row), labOfSession(row));
  }
}

/** A stored lab by its hash; a row from before stored labs by its slug (it reads the catalog's). */
const labKey = (s: { labSlug: string; labHash: string | null }) => (s.labHash ? `hash:${s.labHash}` : `catalog:${s.labSlug}`);
