// Integration tests run against a real, fresh embedded PostgreSQL (or TEST_DATABASE_URL) with the
// project's migrations applied, and the real Docker engine.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../scripts/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
let database: EmbeddedDatabase | undefined;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const port = Number(process.env.TEST_PG_PORT ?? 54339);
    // One folder per port, so runs on different ports (TEST_PG_PORT) do not share a cluster.
    database = await startEmbeddedPostgres({
      dataDir: path.join(root, ".data", "test", port === 54339 ? "postgres" : `postgres-${port}`),
      port,
      fresh: true,
    });
    url = database.url;
  }
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  project.provide("databaseUrl", url);
}

export async function teardown() {
  await database?.stop();
}
