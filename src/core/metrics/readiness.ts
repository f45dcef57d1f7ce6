// /readyz: a process is ready when every probe answers in time. A probe resolves when its part works, or
// resolves with a reason (or throws) when it does not; each is bounded so a hung database cannot hang the probe.
import type { Db } from "~/core/db";

/** Resolves undefined when ready, or a reason (a short sentence) when not. */
export type Probe = () => Promise<string | undefined | void>;

export type Readiness = { ready: boolean; checks: Record<string, string> };

export const PROBE_TIMEOUT_MS = 2000;

/** Runs the probes at once; a probe that throws or does not answer within timeoutMs makes the process not ready. */
export async function checkReadiness(probes: Record<string, Probe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`did not answer within ${timeoutMs} ms`), timeoutMs);
      });
      try {
        const reason = await Promise.race([probe().then((r) => r ?? "ok"), late]);
        return [name, reason];
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: entries.every(([, result]) => result === "ok"), checks: Object.fromEntries(entries) };
}

/** The database answers a query. */
export function databaseProbe(db: Pick<Db, "$queryRaw">): Probe {
  return async () => {
    await db.$queryRaw`SELECT 1`;
  };
}
