// The operator's orphan reaper (scripts/reap-orphans.ts): engine objects carrying our labels (either
// generation) that no database here runs any more. An object is an orphan when it is older than the
// grace and its installation is not this database's, or its session is unknown to this database or
// stopped or failed here. An object whose session is live in this database is never one, whatever it
// is labelled. A worker's reconcile reaps its own installation's orphans; this also reaps those of
// installations whose database is gone.
import { stat } from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import { sharedContainer } from "~/protocol/labNames";
import { SETTLED, isIn, type SessionStatus } from "~/protocol/sessionStatus";
import { idempotent, removeNetwork } from "./dockerProvisioner";
import { engine } from "./errors";
import { createLabFiles } from "./labFiles";
import { labelOf, managedFilters } from "./names";

export type LabelledObject = {
  kind: "container" | "network";
  id: string;
  name: string;
  installation: string | undefined;
  session: string | undefined;
  createdAt: Date;
  /** A container's network mode (`container:<x>` ones are removed first). */
  networkMode?: string;
};

export type Orphan = LabelledObject & { ageSeconds: number; why: string };

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a label's value can be a session id of ours (a uuid): only those are looked up, or named as a folder. */
export const isSessionId = (value: string | undefined): value is string => value !== undefined && SESSION_ID.test(value);

/** Every container and network on the engine with our labels, of either generation. */
export async function listLabelledObjects(docker: Docker): Promise<LabelledObject[]> {
  const filters = managedFilters();
  const [containers, networks] = await engine(() =>
    Promise.all([
      Promise.all(filters.map((f) => docker.listContainers({ all: true, filters: f }))),
      Promise.all(filters.map((f) => docker.listNetworks({ filters: f }))),
    ]),
  );
  const objects = new Map<string, LabelledObject>();
  for (const c of containers.flat()) {
    objects.set(c.Id, {
      kind: "container",
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
      installation: labelOf(c.Labels, "installation"),
      session: labelOf(c.Labels, "session"),
      createdAt: new Date(c.Created * 1000),
      networkMode: c.HostConfig?.NetworkMode ?? "",
    });
  }
  for (const n of networks.flat()) {
    objects.set(n.Id, {
      kind: "network",
      id: n.Id,
      name: n.Name,
      installation: labelOf(n.Labels, "installation"),
      session: labelOf(n.Labels, "session"),
      createdAt: new Date(n.Created),
    });
  }
  return [...objects.values()];
}

export type OrphanRule = {
  /** This database's installation id. */
  installationId: string;
  /** The status here of each session this database knows (of those the objects name). */
  statuses: ReadonlyMap<string, SessionStatus>;
  now: Date;
  graceSeconds: number;
  /** Only objects of these installations are considered (the operator's --installation). */
  only?: ReadonlySet<string>;
};

/** Why the object is an orphan, or undefined when it is not one. */
export function whyOrphan(o: LabelledObject, rule: OrphanRule): string | undefined {
  if (rule.only && (o.installation === undefined || !rule.only.has(o.installation))) return undefined;
  const status = o.session === undefined ? undefined : rule.statuses.get(o.session);
  if (status !== undefined && !isIn(status, SETTLED)) return undefined; // live here: never touched
  if ((rule.now.getTime() - o.createdAt.getTime()) / 1000 < rule.graceSeconds) return undefined;
  if (o.installation !== undefined && o.installation !== rule.installationId) return "another installation";
  if (o.session === undefined) return "no session label";
  if (status === undefined) return "session unknown here";
  return `session ${status.toLowerCase()} here`;
}

export type FindOrphans = {
  installationId: string;
  /** The statuses this database holds for these session ids (those it knows). */
  statusesOf(sessionIds: string[]): Promise<{ id: string; status: SessionStatus }[]>;
  graceSeconds: number;
  only?: ReadonlySet<string>;
  now?: () => Date;
};

/**
 * The orphans on the engine, oldest first. The engine is read before the database: a session whose
 * objects exist already has its row, so a session starting meanwhile is seen live.
 */
export async function findOrphans(docker: Docker, options: FindOrphans): Promise<{ orphans: Orphan[]; kept: LabelledObject[] }> {
  const objects = await listLabelledObjects(docker);
  const ids = [...new Set(objects.map((o) => o.session).filter(isSessionId))];
  const statuses = new Map((ids.length ? await options.statusesOf(ids) : []).map((r) => [r.id, r.status]));
  const now = options.now?.() ?? new Date();
  const rule: OrphanRule = { installationId: options.installationId, statuses, now, graceSeconds: options.graceSeconds };
  if (options.only) rule.only = options.only;
  const orphans: Orphan[] = [];
  const kept: LabelledObject[] = [];
  for (const o of objects) {
    const why = whyOrphan(o, rule);
    if (why === undefined) kept.push(o);
    else orphans.push({ ...o, why, ageSeconds: Math.floor((now.getTime() - o.createdAt.getTime()) / 1000) });
  }
  orphans.sort((a, b) => b.ageSeconds - a.ageSeconds || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return { orphans, kept };
}

/**
 * The session folders (LAB_FILES_DIR/<session>) that go with the orphans: of sessions none of whose
 * objects is kept, that exist.
 */
export async function orphanFolders(filesDir: string, orphans: Orphan[], kept: LabelledObject[]): Promise<string[]> {
  const keep = new Set(kept.map((o) => o.session));
  const sessions = [...new Set(orphans.map((o) => o.session))].filter((s) => isSessionId(s) && !keep.has(s)) as string[];
  const existing = await Promise.all(
    sessions.map(async (s) => ((await stat(path.join(filesDir, s)).catch(() => undefined))?.isDirectory() ? s : undefined)),
  );
  return existing.filter((s): s is string => s !== undefined).sort();
}

export type Reaped = {
  removed: Orphan[];
  failed: { orphan: Orphan; error: string }[];
  /** Session folders removed from the files folder. */
  folders: string[];
};

/**
 * Removes the orphans: containers sharing another's namespace first, then the other containers, then
 * the networks (their endpoints are gone by then); then, with `filesDir`, the folders of sessions
 * whose every object went (`folders`, from orphanFolders).
 */
export async function removeOrphans(
  docker: Docker,
  orphans: Orphan[],
  files?: { dir: string; folders: string[] },
): Promise<Reaped> {
  const reaped: Reaped = { removed: [], failed: [], folders: [] };
  const sharing = (o: Orphan) => sharedContainer(o.networkMode ?? "") !== undefined;
  const containers = orphans.filter((o) => o.kind === "container");
  const phases = [containers.filter(sharing), containers.filter((o) => !sharing(o)), orphans.filter((o) => o.kind === "network")];
  for (const phase of phases) {
    const results = await Promise.allSettled(
      phase.map((o) =>
        o.kind === "container"
          ? idempotent(() => docker.getContainer(o.id).remove({ force: true }))
          : removeNetwork(docker, o.id),
      ),
    );
    results.forEach((result, i) => {
      const orphan = phase[i]!;
      if (result.status === "fulfilled") reaped.removed.push(orphan);
      else reaped.failed.push({ orphan, error: (result.reason as Error).message ?? String(result.reason) });
    });
  }
  if (files) {
    const failedSessions = new Set(reaped.failed.map((f) => f.orphan.session));
    const lab = createLabFiles(files.dir);
    for (const session of files.folders.filter((s) => !failedSessions.has(s))) {
      await lab.removeSession(session);
      reaped.folders.push(session);
    }
  }
  return reaped;
}
