// One Prisma client per process (kept on globalThis so Next's dev reloads do not open new pools).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";

export type Db = PrismaClient;

export function createDb(connectionString: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

const globalForDb = globalThis as unknown as { wireroomDb?: Db };

export function getDb(connectionString: string): Db {
  globalForDb.wireroomDb ??= createDb(connectionString);
  return globalForDb.wireroomDb;
}
