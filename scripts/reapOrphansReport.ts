// What `npm run reap-orphans` prints: the table of orphans (dry run), the objects removed, and a
// summary line last; or, with --json, one JSON document.
import type { Orphan, Reaped } from "../worker/provisioner/docker/orphans";

/** 45s, 12m05s, 3h07m, 2d04h. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor((s % 86_400) / 3600))}h`;
}

const COLUMNS = ["KIND", "NAME", "INSTALLATION", "SESSION", "AGE", "WHY"] as const;

export function orphanTable(orphans: Orphan[]): string {
  const rows = orphans.map((o) => [o.kind, o.name, o.installation ?? "-", o.session ?? "-", formatAge(o.ageSeconds), o.why]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)].join("\n");
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function objectCounts(objects: Orphan[]): string {
  const containers = objects.filter((o) => o.kind === "container").length;
  return `${count(containers, "container")} and ${count(objects.length - containers, "network")}`;
}

export type Scope = { installationId: string; graceMinutes: number; filesDir?: string };

export function dryRunSummary(orphans: Orphan[], folders: string[], scope: Scope): string {
  const files = scope.filesDir === undefined ? "" : ` and ${count(folders.length, "session folder")} of ${scope.filesDir}`;
  return `dry run: ${objectCounts(orphans)}${files} would be removed (older than ${scope.graceMinutes} min; this database's installation is ${scope.installationId}); nothing was removed`;
}

export function removedLines(reaped: Reaped, filesDir: string | undefined): string[] {
  return [
    ...reaped.removed.map((o) => `removed ${o.kind} ${o.name} (${o.why}, ${formatAge(o.ageSeconds)} old)`),
    ...reaped.folders.map((s) => `removed folder ${filesDir}/${s}`),
  ];
}

export function failedLines(reaped: Reaped): string[] {
  return reaped.failed.map((f) => `could not remove ${f.orphan.kind} ${f.orphan.name}: ${f.error.split("\n")[0]}`);
}

export function reapSummary(reaped: Reaped, scope: Scope): string {
  const files = scope.filesDir === undefined ? "" : ` and ${count(reaped.folders.length, "session folder")}`;
  const failed = reaped.failed.length ? `; ${objectCounts(reaped.failed.map((f) => f.orphan))} could not be removed` : "";
  return `removed ${objectCounts(reaped.removed)}${files} (older than ${scope.graceMinutes} min; this database's installation is ${scope.installationId})${failed}`;
}

/** The --json document: the same facts, dates as ISO strings. */
export function reportJson(args: {
  dryRun: boolean;
  scope: Scope;
  orphans: Orphan[];
  folders: string[];
  reaped?: Reaped;
}): string {
  const view = (o: Orphan) => ({
    kind: o.kind,
    id: o.id,
    name: o.name,
    installation: o.installation ?? null,
    session: o.session ?? null,
    createdAt: o.createdAt.toISOString(),
    ageSeconds: o.ageSeconds,
    why: o.why,
  });
  return JSON.stringify(
    {
      dryRun: args.dryRun,
      installationId: args.scope.installationId,
      graceMinutes: args.scope.graceMinutes,
      filesDir: args.scope.filesDir ?? null,
      orphans: args.orphans.map(view),
      folders: args.folders,
      removed: args.reaped?.removed.map(view) ?? [],
      removedFolders: args.reaped?.folders ?? [],
      failed: args.reaped?.failed.map((f) => ({ ...view(f.orphan), error: f.error })) ?? [],
    },
    null,
    2,
  );
}
