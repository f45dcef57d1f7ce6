// The session's built-in `host` and `none` networks have no engine object: their ids are derived
// from the session (stable, like Docker's, and never another object's).
import { createHash } from "node:crypto";

export function builtInNetworkId(sessionId: string, name: string): string {
  return createHash("sha256").update(`${sessionId}/${name}`).digest("hex");
}

/** The session's engine-wide id for `docker info`: derived from the session, never the machine's. */
export function sessionEngineId(sessionId: string): string {
  const hex = createHash("sha256").update(`${sessionId}/engine`).digest("hex").toUpperCase();
  return Array.from({ length: 12 }, (_, i) => hex.slice(i * 4, i * 4 + 4)).join(":");
}
