// Integration tests run against a real, fresh embedded PostgreSQL (or the server of
// TEST_DATABASE_URL, which must allow CREATE DATABASE) and the real Docker engine.
//
// The project's migrations are applied once, to a template database; every test file then gets a
// database of its own copied from it (setupEnv.ts). Each file's worker thus sees only its own jobs
// and reconciles only its own installation's objects, so files can run in parallel.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../scripts/embedded-postgres";
import { TEMPLATE_DATABASE, TEST_DATABASE_PREFIX, withDatabase } from "./testDatabase";

declare module "vitest" {
  export interface ProvidedContext {
    /** Any database of the test server: where per-file databases are created from. */
    serverUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
let database: EmbeddedDatabase | undefined;
let serverUrl: string | undefined;

export async function setup(project: TestProject) {
  serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const port = Number(process.env.TEST_PG_PORT ?? 54339);
    // One folder per port, so runs on different ports (TEST_PG_PORT) do not share a cluster.
    database = await startEmbeddedPostgres({
      dataDir: path.join(root, ".data", "test", port === 54339 ? "postgres" : `postgres-${port}`),
      port,
      fresh: true,
    });
    serverUrl = database.url;
  }
  await dropTestDatabases(serverUrl);
  await withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: templateUrl.href },
    stdio: "pipe",
  });
  project.provide("serverUrl", serverUrl);
}

/** The template and every per-file database of an earlier or this run. */
async function dropTestDatabases(url: string) {
  await withDatabase(url, async (client: pg.Client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)`,
      [TEMPLATE_DATABASE, TEST_DATABASE_PREFIX],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  });
}

export async function teardown() {
  // An external server keeps no test databases; an embedded cluster is removed at the next run.
  if (serverUrl && !database) await dropTestDatabases(serverUrl);
  await database?.stop();
}
