import type { Db } from "~/core/db";

/** This installation's id, created on first use; every worker of the installation agrees on it. */
export async function getInstallationId(db: Db): Promise<string> {
  const existing = await db.installation.findUnique({ where: { singleton: true } });
  if (existing) return existing.id;
  await db.$executeRaw`INSERT INTO "Installation" (id, singleton) VALUES (gen_random_uuid(), true) ON CONFLICT (singleton) DO NOTHING`;
  return (await db.installation.findUniqueOrThrow({ where: { singleton: true } })).id;
}

/** This installation's id, or undefined when no worker has run against this database yet (nothing is created). */
export async function findInstallationId(db: Db): Promise<string | undefined> {
  return (await db.installation.findUnique({ where: { singleton: true } }))?.id;
}
