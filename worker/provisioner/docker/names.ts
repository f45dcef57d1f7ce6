// Deterministic engine names and labels for a session's objects: a retried job finds and adopts
// what an earlier attempt created instead of duplicating it.
import { createHash } from "node:crypto";
export const LABEL_MANAGED = "io.netlab.managed";
export const LABEL_SESSION = "io.netlab.session";
export const LABEL_NAME = "io.netlab.name";
export const LABEL_KIND = "io.netlab.kind";
/** Which installation (database) created the object: a worker only reaps its own installation's. */
export const LABEL_INSTALLATION = "io.netlab.installation";

export function containerName(sessionId: string, name: string): string {
  return `netlab-${sessionId}-${name}`;
}

export function networkName(sessionId: string, name: string): string {
  return `netlab-${sessionId}-net-${name}`;
}

/**
 * Every lab bridge's Linux name starts with this, so one firewall rule (`-i nlab-+`) covers all
 * of them, including bridges made after the rule.
 */
export const LAB_BRIDGE_PREFIX = "nlab-";

/** The Linux bridge of a lab network: the prefix and 10 hex digits of its engine name (15 chars, the kernel's limit). */
export function labBridgeName(engineNetworkName: string): string {
  return LAB_BRIDGE_PREFIX + createHash("sha256").update(engineNetworkName).digest("hex").slice(0, 10);
}

export function sessionLabels(sessionId: string, name: string, installationId: string): Record<string, string> {
  return { [LABEL_MANAGED]: "true", [LABEL_INSTALLATION]: installationId, [LABEL_SESSION]: sessionId, [LABEL_NAME]: name };
}

export function sessionFilter(sessionId: string): { label: string[] } {
  return { label: [`${LABEL_SESSION}=${sessionId}`] };
}

export function installationFilter(installationId: string): { label: string[] } {
  return { label: [`${LABEL_MANAGED}=true`, `${LABEL_INSTALLATION}=${installationId}`] };
}

export function assertOwned(labels: Record<string, string> | undefined, sessionId: string, what: string) {
  if (labels?.[LABEL_SESSION] !== sessionId) {
    throw new Error(`${what} exists but does not belong to session ${sessionId}; refusing to adopt it`);
  }
}
