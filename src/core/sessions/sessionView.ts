import type { Assignment, LabSession } from "~/generated/prisma/client";
import { extendRefusal } from "~/core/classroom/extendRules";
import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import { engineViewOf } from "~/core/sessions/engineView";
import { sessionTerminals } from "~/protocol/labNames";
import { OWNER, type Access } from "~/protocol/roles";
import { endedLine, endReasonSchema } from "~/protocol/sessionEnd";
import { IN_PROGRESS, isIn, SETTLED, Status, STOPPABLE, type SessionStatus } from "~/protocol/sessionStatus";
import { readPlace, type LinePlace } from "~/core/queue/line";
import { linkViewsOf } from "~/core/links/linkStore";
import type { LinkView } from "~/protocol/linkSpec";

/** What the browser may see of a session. */
export type SessionView = {
  id: string;
  labSlug: string;
  labTitle: string;
  status: SessionStatus;
  statusReason: string | null;
  defaultTerminal: string | null;
  /** Containers with a shell the learner may open: the session host first, then the lab's and the learner's own, in creation order. */
  terminals: string[];
  /** The lab's containers that say what they are (every container of a playground): its network mode and what to try in it. */
  containerGuide: { name: string; network: string; about: string }[];
  createdAt: Date;
  expiresAt: Date;
  /** How the viewing user takes part: owner, or an invited driver/viewer. */
  access: Access;
  /** A worker is still moving it (queued, provisioning, stopping): the page shows progress. */
  inProgress: boolean;
  /** Stopped or failed: nothing will change it again. */
  isSettled: boolean;
  /** The viewing user may stop it now (its owner, and a stop is a move it may make; in line: leaving it). */
  canStop: boolean;
  /** While it waits for a place (WAITING): its position in line and about how many minutes (null: no estimate yet). */
  line: LinePlace | null;
  /** The class and assignment it was started for; null for a lab started alone. */
  classroom: {
    classId: string;
    className: string;
    assignmentId: string | null;
    dueAt: Date | null;
    extendAllowed: boolean;
    maxExtensionMinutes: number;
    extendedMinutes: number;
  } | null;
  /** The learner's "needs help", while raised. */
  help: { raisedAt: Date; message: string | null } | null;
  /** The session a reset started in this one's place (the page follows it). */
  resetToId: string | null;
  /** The viewing user may extend its time now (src/core/classroom/extendRules.ts). */
  canExtend: boolean;
  /** Its impaired interfaces while it runs (src/core/links/): the topology's badges. */
  links: LinkView[];
};

/** A class session's assignment and class name, when the reader loaded them (sessionViewOf does). */
export type ClassContext = { className: string; assignment: Assignment | null };

/** Reads what a class session's view says of its class (one query; nothing for a lab started alone). */
export async function readClassContext(
  db: Db,
  row: Pick<LabSession, "classId" | "assignmentId">,
): Promise<ClassContext | undefined> {
  if (!row.classId) return undefined;
  // No assignment (a reset's fresh session, before it gets one): only the class's name ("" is no uuid).
  const klass = await db.class.findUnique({
    where: { id: row.classId },
    select: { name: true, assignments: { where: { id: row.assignmentId ?? undefined }, take: row.assignmentId ? 1 : 0 } },
  });
  return klass ? { className: klass.name, assignment: row.assignmentId ? (klass.assignments[0] ?? null) : null } : undefined;
}

/** The view with its class fields and, in line, its place read (every reader that can should use this rather than toSessionView alone). */
export async function sessionViewOf(db: Db, row: LabSession, access: Access = OWNER): Promise<SessionView> {
  const line = row.status === Status.waiting ? await readPlace(db, row.id) : undefined;
  const [context, links] = await Promise.all([readClassContext(db, row), linkViewsOf(db, row)]);
  return toSessionView(row, access, context, line, links);
}

/** Once stopped: who ended it, in words for this viewer ("The owner ended this session."). */
function endedReason(row: LabSession, access: Access): string | null {
  if (row.status !== Status.stopped) return null;
  const reason = endReasonSchema.safeParse(row.endReason);
  return reason.success ? endedLine(reason.data, access) : null;
}

// Decided here, from the status machine, so the page shows what the server allows.
export function toSessionView(
  row: LabSession,
  access: Access = OWNER,
  context?: ClassContext,
  line?: LinePlace,
  links: LinkView[] = [],
): SessionView {
  const lab = labOfSession(row);
  return {
    id: row.id,
    labSlug: row.labSlug,
    labTitle: lab?.title ?? row.labSlug,
    status: row.status,
    statusReason: endedReason(row, access) ?? row.statusReason,
    defaultTerminal: lab?.defaultTerminal ?? null,
    terminals: lab ? sessionTerminals(lab, engineViewOf(row)) : [],
    containerGuide: (lab?.containers ?? []).flatMap(({ name, network, about }) => (about ? [{ name, network, about }] : [])),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    access,
    inProgress: isIn(row.status, IN_PROGRESS),
    isSettled: isIn(row.status, SETTLED),
    canStop: access === OWNER && isIn(row.status, STOPPABLE),
    line: row.status === Status.waiting ? (line ?? null) : null,
    classroom:
      row.classId && context
        ? {
            classId: row.classId,
            className: context.className,
            assignmentId: row.assignmentId,
            dueAt: context.assignment?.dueAt ?? null,
            extendAllowed: context.assignment?.extendAllowed ?? false,
            maxExtensionMinutes: context.assignment?.maxExtensionMinutes ?? 0,
            extendedMinutes: row.extendedMinutes ?? 0,
          }
        : null,
    help: row.helpRequestedAt ? { raisedAt: row.helpRequestedAt, message: row.helpMessage ?? null } : null,
    resetToId: row.resetToId ?? null,
    canExtend:
      extendRefusal({
        status: row.status,
        access,
        extendedMinutes: row.extendedMinutes ?? 0,
        assignment: context?.assignment ?? null,
      }) === undefined,
    links,
  };
}
