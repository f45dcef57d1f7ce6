// The web process's pg-boss instance: started once, on first use, and kept across dev reloads.
import "server-only";
import { startBoss, type Boss } from "~/core/jobs/boss";

const globalForBoss = globalThis as unknown as { wireroomBoss?: Promise<Boss> };

export function getBoss(connectionString: string): Promise<Boss> {
  globalForBoss.wireroomBoss ??= startBoss(connectionString, { worker: false }).catch((error: unknown) => {
    globalForBoss.wireroomBoss = undefined;
    throw error;
  });
  return globalForBoss.wireroomBoss;
}
