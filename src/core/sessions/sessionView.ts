import type { LabSession } from "~/generated/prisma/client";
import { labOfSession } from "~/core/labs/sessionLab";
import { engineViewOf } from "~/core/sessions/engineView";
import { sessionTerminals } from "~/protocol/labNames";
import { OWNER, type Access } from "~/protocol/roles";
import { endedLine, endReasonSchema } from "~/protocol/sessionEnd";
import { canMove, IN_PROGRESS, isIn, SETTLED, Status, type SessionStatus } from "~/protocol/sessionStatus";

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
  /** The viewing user may stop it now (its owner, and a stop is a move it may make). */
  canStop: boolean;
};

/** Once stopped: who ended it, in words for this viewer ("The owner ended this session."). */
function endedReason(row: LabSession, access: Access): string | null {
  if (row.status !== Status.stopped) return null;
  const reason = endReasonSchema.safeParse(row.endReason);
  return reason.success ? endedLine(reason.data, access) : null;
}

// Decided here, from the status machine, so the page shows what the server allows.
export function toSessionView(row: LabSession, access: Access = OWNER): SessionView {
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
    canStop: access === OWNER && canMove("requestStop", row.status),
  };
}
