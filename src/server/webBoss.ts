// The web process's pg-boss instance: started once, on first use, and kept across dev reloads.
import { startBoss, type Boss } from "~/core/jobs/boss";

const globalForBoss = globalThis as unknown as { netlabBoss?: Promise<Boss> };

export function getBoss(connectionString: string): Promise<Boss> {
  globalForBoss.netlabBoss ??= startBoss(connectionString, { worker: false }).catch((error: unknown) => {
    globalForBoss.netlabBoss = undefined;
    throw error;
  });
  return globalForBoss.netlabBoss;
}
