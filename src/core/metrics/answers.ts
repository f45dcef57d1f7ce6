// The answers of /metrics, /healthz and /readyz, the same for the worker's HTTP server (worker/ops/http.ts) and
// the web's routes (src/app/{metrics,healthz,readyz}/route.ts), each turning them into its own response.
import type { Registry } from "prom-client";
import { METRICS_CHALLENGE, metricsAllowed } from "./access";
import type { Readiness } from "./readiness";

export type OpsAnswer = { status: number; headers: Record<string, string>; body: string };

const text = (status: number, body: string, headers: Record<string, string> = {}): OpsAnswer => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  body: `${body}\n`,
});

/** /healthz: the process is up and serving requests. */
export function healthAnswer(): OpsAnswer {
  return text(200, "ok");
}

/** /readyz: 200 when every check is ok, else 503; the body names each check and what is wrong. */
export function readyAnswer(readiness: Readiness): OpsAnswer {
  const lines = Object.entries(readiness.checks).map(([name, result]) => `${name}: ${result}`);
  return text(readiness.ready ? 200 : 503, [readiness.ready ? "ready" : "not ready", ...lines].join("\n"));
}

/** /metrics: the registry in Prometheus's text format, or 401 when METRICS_TOKEN is set and not given. */
export async function metricsAnswer(
  registry: Registry,
  authorization: string | null | undefined,
  token?: string,
): Promise<OpsAnswer> {
  if (!metricsAllowed(authorization, token))
    return text(401, "metrics need the header Authorization: Bearer <METRICS_TOKEN>", { "www-authenticate": METRICS_CHALLENGE });
  return {
    status: 200,
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    body: await registry.metrics(),
  };
}
