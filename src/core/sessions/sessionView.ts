import type { LabSession, SessionStatus } from "~/generated/prisma/client";
import { findLab } from "~/core/labs/catalog";
import type { Access } from "./getSessionAccess";

export const ACTIVE_STATUSES: SessionStatus[] = ["QUEUED", "PROVISIONING", "READY", "STOPPING"];

/** What the browser may see of a session. */
export type SessionView = {
  id: string;
  labSlug: string;
  labTitle: string;
  status: SessionStatus;
  statusReason: string | null;
  defaultTerminal: string | null;
  /** Containers with a shell the learner may open: the session host first. */
  terminals: string[];
  createdAt: Date;
  expiresAt: Date;
  /** How the viewing user takes part: owner, or an invited driver/viewer. */
  access: Access;
};

export function toSessionView(row: LabSession, access: Access = "owner"): SessionView {
  const lab = findLab(row.labSlug);
  return {
    id: row.id,
    labSlug: row.labSlug,
    labTitle: lab?.title ?? row.labSlug,
    status: row.status,
    statusReason: row.statusReason,
    defaultTerminal: lab?.defaultTerminal ?? null,
    terminals: lab ? ["host", ...lab.containers.map((c) => c.name)] : [],
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    access,
  };
}
