// Prometheus metrics of the web (counts only; src/server/ops.ts). METRICS_TOKEN, when set, is required as a bearer token.
import { metricsResponse } from "~/server/ops";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request) {
  return metricsResponse(req);
}
