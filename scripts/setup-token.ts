// `npm run setup-token`: while no admin exists, mints a fresh one-time setup token (the previous one
// stops working) and prints it; otherwise says who the admins are and exits 1. Reads DATABASE_URL,
// or, when it is unset, the embedded PostgreSQL that scripts/up.sh runs (WIREROOM_DATA_DIR, WIREROOM_PG_PORT).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/core/db";
import { writeSetupTokenFile } from "~/core/accounts/announceSetupToken";
import { mintSetupToken, setupTokenLine } from "~/core/accounts/setupToken";
import { webOriginsSchema } from "~/core/settings";

function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.WIREROOM_DATA_DIR ?? path.join(import.meta.dirname, "..", ".data"));
  const roleFile = path.join(dataDir, "postgres", "wireroom-role");
  const role = existsSync(roleFile) ? readFileSync(roleFile, "utf8").trim() : "wireroom";
  return `postgresql://${role}:${role}@127.0.0.1:${process.env.WIREROOM_PG_PORT ?? 54329}/postgres`;
}

async function main(): Promise<number> {
  const db = getDb(databaseUrl());
  try {
    const result = await mintSetupToken(db);
    if (result.kind === "admins") {
      console.error(
        `[wireroom] This platform already has an admin: ${result.admins.map((a) => `${a.name} <${a.email}>`).join(", ")}. No setup token is needed; an admin makes instructors on /admin.`,
      );
      return 1;
    }
    const webOrigin = webOriginsSchema.parse(process.env.WEB_ORIGINS)[0]!;
    console.log(setupTokenLine(webOrigin, result.token));
    if (process.env.SETUP_TOKEN_FILE) await writeSetupTokenFile(process.env.SETUP_TOKEN_FILE, result.token);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[wireroom] setup-token failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
