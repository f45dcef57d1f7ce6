// The web's /metrics, /healthz and /readyz (src/app/{metrics,healthz,readyz}/route.ts): counts only, nothing
// per user (sessions by status and worker, the lab hosts' load, this process's own metrics). METRICS_TOKEN, when
// set, guards /metrics; /readyz asks the database.
import "server-only";
import type { Registry } from "prom-client";
import { getDb } from "~/core/db";
import { logger } from "~/core/log";
import { healthAnswer, metricsAnswer, readyAnswer, type OpsAnswer } from "~/core/metrics/answers";
import { processRegistry } from "~/core/metrics/definitions";
import { oneAtATime } from "~/core/metrics/oneAtATime";
import { checkReadiness, databaseProbe } from "~/core/metrics/readiness";
import { sessionCounts, workerLoads } from "~/core/metrics/sources";
import { webEnv } from "~/server/env";

const log = logger.child({ component: "metrics" });
const globalForMetrics = globalThis as unknown as { wireroomWebMetrics?: Registry };

/** The web's registry, built once per process (kept across dev reloads). */
function webRegistry(): Registry {
  const db = getDb(webEnv().DATABASE_URL);
  globalForMetrics.wireroomWebMetrics ??= processRegistry({
    sessions: () => sessionCounts(db),
    workers: () => workerLoads(db),
    onError: (source, err) => log.error({ err, source }, `metrics: could not read ${source}; left out of this scrape`),
  });
  return globalForMetrics.wireroomWebMetrics;
}

const respond = (answer: OpsAnswer) => new Response(answer.body, { status: answer.status, headers: answer.headers });

export async function metricsResponse(req: Request): Promise<Response> {
  return respond(await metricsAnswer(webRegistry(), req.headers.get("authorization"), webEnv().METRICS_TOKEN));
}

export function healthResponse(): Response {
  return respond(healthAnswer());
}

// /readyz is open: requests that arrive while a check runs share it (one database query at a time).
const webReadiness = oneAtATime(() => checkReadiness({ database: databaseProbe(getDb(webEnv().DATABASE_URL)) }));

export async function readyResponse(): Promise<Response> {
  return respond(readyAnswer(await webReadiness()));
}
