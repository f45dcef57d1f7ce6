// Who may read /metrics: anyone when METRICS_TOKEN is unset, else a request with `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** The Authorization header's value carries the token (compared in constant time); always true with no token set. */
export function metricsAllowed(authorization: string | null | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** The answer's header when the token is missing or wrong. */
export const METRICS_CHALLENGE = 'Bearer realm="metrics"';
