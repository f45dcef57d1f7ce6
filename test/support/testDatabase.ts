// Each integration test file's own PostgreSQL database, copied from a template that has the
// migrations applied (globalSetup.ts): copying takes a fraction of a second, migrating takes seconds.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEMPLATE_DATABASE = "wireroom_template";
export const TEST_DATABASE_PREFIX = "wireroom_test_";

export async function withDatabase<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database from the template on the server of `serverUrl`; returns its URL. */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${process.env.VITEST_POOL_ID ?? "0"}_${randomBytes(4).toString("hex")}`;
  await withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}
