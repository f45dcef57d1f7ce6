// /readyz: a process is ready when every probe answers in time. A probe resolves when its part works, or
// resolves with a reason (or throws) when it does not; each is bounded so a hung database cannot hang the probe.
import type { Db } from "~/core/db";
import { logger } from "~/core/log";

const log = logger.child({ component: "readiness" });

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
        if (reason === "ok") logged.delete(name);
        return [name, reason];
      } catch (error) {
        return [name, failedCheck(name, error)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: entries.every(([, result]) => result === "ok"), checks: Object.fromEntries(entries) };
}

/**
 * A probe that threw: /readyz is open to anyone, so its answer names the error's code at most (ECONNREFUSED,
 * P1001), never its text (a database's address, an engine's socket path); the text goes to the log.
 */
function failedCheck(name: string, error: unknown): string {
  const reason = lastLine(error instanceof Error ? error.message : String(error));
  if (firstTimeInAWhile(name, reason)) log.warn({ err: error, check: name }, `readiness: ${name}: ${reason}`);
  const code = (error as { code?: unknown } | null)?.code;
  return `failed${typeof code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(code) ? ` (${code})` : ""}; details in the log`;
}

/**
 * Per check, the failure last logged: the same failure is logged once a minute at most (during an outage, a
 * flood of /readyz must not become a flood of log lines); a check that answers ok again forgets it.
 */
const logged = new Map<string, { reason: string; at: number }>();
const RELOG_MS = 60_000;

function firstTimeInAWhile(name: string, reason: string): boolean {
  const last = logged.get(name);
  const now = Date.now();
  if (last && last.reason === reason && now - last.at < RELOG_MS) return false;
  logged.set(name, { reason, at: now });
  return true;
}

/** A reason on one line: the last non-empty line of a message (Prisma's put the cause last, after the call). */
function lastLine(message: string): string {
  return (
    message
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? "failed"
  );
}

/** The database answers a query. */
export function databaseProbe(db: Pick<Db, "$queryRaw">): Probe {
  return async () => {
    await db.$queryRaw`SELECT 1`;
  };
}
