// `npm run reap-orphans -- [--dry-run] [--grace-minutes N] [--json] [--files-dir DIR] [--installation ID]...`:
// the operator's reaper of engine objects that no database here runs any more (the rule is in
// worker/provisioner/docker/orphans.ts). Exit 0 when everything it meant to remove went, 1 when
// something could not be removed or the database or engine failed, 2 for bad flags or settings.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseReapArgs, USAGE, UsageError, type ReapArgs } from "./reapOrphansArgs";
import { dryRunSummary, failedLines, orphanTable, reapSummary, removedLines, reportJson, type Scope } from "./reapOrphansReport";

const PREFIX = "reap-orphans:";

function settings(argv: string[]): { args: ReapArgs; databaseUrl: string } | number {
  let args: ReapArgs;
  try {
    args = parseReapArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${PREFIX} ${error.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      `${PREFIX} DATABASE_URL is required: the installation's PostgreSQL, e.g. postgresql://user:password@host:5432/wireroom`,
    );
    return 2;
  }
  if (args.filesDir !== undefined) {
    args.filesDir = path.resolve(args.filesDir);
    if (!existsSync(args.filesDir) || !statSync(args.filesDir).isDirectory()) {
      console.error(`${PREFIX} --files-dir must be an existing folder (the workers' LAB_FILES_DIR); ${args.filesDir} is not one`);
      return 2;
    }
  }
  return { args, databaseUrl };
}

async function main(argv: string[]): Promise<number> {
  const read = settings(argv);
  if (typeof read === "number") return read;
  const { args, databaseUrl } = read;
  // Loaded once the flags are read: a mistake is answered at once, without loading Prisma and dockerode.
  const [{ createDb }, { findInstallationId }, { prismaSessionStore }, { createDockerClient }, orphanModule] = await Promise.all([
    import("~/core/db"),
    import("~/core/installation"),
    import("~/core/sessions/sessionStore"),
    import("../worker/provisioner/docker/client"),
    import("../worker/provisioner/docker/orphans"),
  ]);
  const { findOrphans, orphanFolders, removeOrphans } = orphanModule;
  const db = createDb(databaseUrl);
  try {
    const installationId = await findInstallationId(db);
    if (installationId === undefined) {
      // Every labelled object would look foreign: refuse rather than reap another installation's
      // objects through a DATABASE_URL that points at the wrong (or a new) database.
      console.error(`${PREFIX} this database has no installation id (no worker or web has run against it); check DATABASE_URL`);
      return 1;
    }
    const docker = createDockerClient(process.env.DOCKER_HOST);
    const sessions = prismaSessionStore(db);
    const { orphans, kept } = await findOrphans(docker, {
      installationId,
      statusesOf: (ids) => sessions.statuses(ids),
      graceSeconds: args.graceMinutes * 60,
      ...(args.installations.length ? { only: new Set(args.installations) } : {}),
    });
    const folders = args.filesDir === undefined ? [] : await orphanFolders(args.filesDir, orphans, kept);
    const scope: Scope = {
      installationId,
      graceMinutes: args.graceMinutes,
      ...(args.filesDir ? { filesDir: args.filesDir } : {}),
    };

    if (args.dryRun) {
      if (args.json) console.log(reportJson({ dryRun: true, scope, orphans, folders }));
      else {
        if (orphans.length) console.log(orphanTable(orphans));
        console.log(dryRunSummary(orphans, folders, scope));
      }
      return 0;
    }

    const reaped = await removeOrphans(
      docker,
      orphans,
      args.filesDir === undefined ? undefined : { dir: args.filesDir, folders },
    );
    if (args.json) console.log(reportJson({ dryRun: false, scope, orphans, folders, reaped }));
    else {
      for (const line of removedLines(reaped, args.filesDir)) console.log(line);
      for (const line of failedLines(reaped)) console.error(line);
      console.log(reapSummary(reaped, scope));
    }
    return reaped.failed.length ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

/** One line of an error: Prisma's start with where it was called ("Invalid `db.…` invocation") and end with why. */
function oneLine(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error))
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines[0]?.startsWith("Invalid `") ? lines.at(-1) : lines[0]) ?? String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`${PREFIX} failed: ${oneLine(error)}`);
    process.exit(1);
  },
);
