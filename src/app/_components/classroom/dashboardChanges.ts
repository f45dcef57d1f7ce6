// The dashboard's pure pieces: merging what live.class sends into the table, and what to announce
// politely when a row changes ("ana-k raised needs help"). Browser-safe; tested without a browser.
import type { DashboardRow } from "~/core/classroom/dashboardRow";
import type { LiveClassEvent } from "~/server/api/routers/live";

export type Table = { className: string; rows: DashboardRow[] };

/** The table after an event: a whole table replaces it; rows replace theirs by key (new keys are added). */
export function applyClassEvent(table: Table | undefined, event: LiveClassEvent): Table {
  if (event.type === "table") return { className: event.className, rows: event.rows };
  const current = table ?? { className: "", rows: [] };
  const byKey = new Map(event.rows.map((r) => [r.key, r]));
  const rows = current.rows.map((r) => byKey.get(r.key) ?? r);
  for (const row of event.rows) if (!current.rows.some((r) => r.key === row.key)) rows.push(row);
  return { ...current, rows };
}

/**
 * Whether a whole table may carry a change of the class itself (its name, roster or assignments),
 * so a page showing those should read them again: a change, a resync (changes may have been
 * missed), or a re-subscription after a lost connection (any table but the first).
 */
export function mayChangeClass(table: Table | undefined, event: LiveClassEvent): boolean {
  return event.type === "table" && (event.cause !== "subscribe" || table !== undefined);
}

/** What changed in a row that the instructor should hear, in words; empty when nothing worth saying. */
export function rowAnnouncements(before: DashboardRow | undefined, after: DashboardRow): string[] {
  const name = after.learnerName;
  const was = before?.session;
  const now = after.session;
  if (!now) return [];
  const said: string[] = [];
  if (!was || was.sessionId !== now.sessionId) said.push(`${name} started ${after.labTitle}`);
  if (now.help && !was?.help) said.push(`${name} raised needs help${now.help.message ? `: ${now.help.message}` : ""}`);
  if (!now.help && was?.help && was.sessionId === now.sessionId) said.push(`${name} no longer needs help`);
  if (was && was.sessionId === now.sessionId && now.checksPassed > was.checksPassed)
    said.push(`${name} passed ${now.checksPassed} of ${now.checksTotal} checks in ${after.labTitle}`);
  if (was && was.sessionId === now.sessionId && now.isSettled && !was.isSettled)
    said.push(`${name}'s ${after.labTitle} session ended`);
  return said;
}

/** Every announcement between two tables (rows matched by key). */
export function tableAnnouncements(before: Table | undefined, after: Table): string[] {
  if (!before) return [];
  const old = new Map(before.rows.map((r) => [r.key, r]));
  return after.rows.flatMap((row) => rowAnnouncements(old.get(row.key), row));
}

/** "just now", "4 min ago", "2 h ago", or "no activity yet". */
export function activityAgo(at: Date | null, now: number): string {
  if (!at) return "no activity yet";
  const minutes = Math.floor((now - at.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}
