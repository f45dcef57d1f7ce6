// Reading and writing a session's link impairments (LinkImpairment) and its class's (ClassImpairment),
// and the view the page gets of them.
import type { LabSession } from "~/generated/prisma/client";
import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import { engineViewOf } from "~/core/sessions/engineView";
import { LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import type { LinkSpec, LinkView } from "~/protocol/linkSpec";
import { isRunning } from "~/protocol/sessionStatus";
import { desiredLinks, type LinkRow } from "./desired";

type SpecColumns = { delayMs: number; jitterMs: number; lossPct: number; rateKbit: number | null };

export const specOf = (row: SpecColumns): LinkSpec => ({
  delayMs: row.delayMs,
  jitterMs: row.jitterMs,
  lossPct: row.lossPct,
  rateKbit: row.rateKbit,
});

export const columnsOf = (spec: LinkSpec): SpecColumns => ({
  delayMs: spec.delayMs,
  jitterMs: spec.jitterMs,
  lossPct: spec.lossPct,
  rateKbit: spec.rateKbit,
});

/** The platform's containers a session runs, which links may name: the session host, and the lab DNS when the lab has one. */
export function platformContainers(row: Pick<LabSession, "id" | "labSlug" | "lab" | "labHash">): string[] {
  return labOfSession(row)?.labDns ? [SESSION_HOST, LAB_DNS] : [SESSION_HOST];
}

export async function sessionLinkRows(db: Db, sessionId: string): Promise<LinkRow[]> {
  const rows = await db.linkImpairment.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({ container: r.container, iface: r.iface, spec: specOf(r) }));
}

/** The class's impairment while its instructor has one set, or null. */
export async function classSpecOf(db: Db, classId: string | null): Promise<LinkSpec | null> {
  if (!classId) return null;
  const row = await db.classImpairment.findUnique({ where: { classId } });
  return row ? specOf(row) : null;
}

/** The session's impaired interfaces as its page shows them (nothing once it stops). */
export async function linkViewsOf(db: Db, row: LabSession): Promise<LinkView[]> {
  if (!isRunning(row.status)) return [];
  const [rows, classSpec] = await Promise.all([sessionLinkRows(db, row.id), classSpecOf(db, row.classId)]);
  if (rows.length === 0 && classSpec === null) return [];
  return desiredLinks(rows, classSpec, engineViewOf(row));
}
