// Deterministic engine names and labels for a session's objects: a retried job finds and adopts
// what an earlier attempt created instead of duplicating it.
export const LABEL_MANAGED = "io.netlab.managed";
export const LABEL_SESSION = "io.netlab.session";
export const LABEL_NAME = "io.netlab.name";
export const LABEL_KIND = "io.netlab.kind";

export function containerName(sessionId: string, name: string): string {
  return `netlab-${sessionId}-${name}`;
}

export function networkName(sessionId: string, name: string): string {
  return `netlab-${sessionId}-net-${name}`;
}

export function sessionLabels(sessionId: string, name: string): Record<string, string> {
  return { [LABEL_MANAGED]: "true", [LABEL_SESSION]: sessionId, [LABEL_NAME]: name };
}

export function sessionFilter(sessionId: string): { label: string[] } {
  return { label: [`${LABEL_SESSION}=${sessionId}`] };
}

export const managedFilter = { label: [`${LABEL_MANAGED}=true`] };

export function assertOwned(labels: Record<string, string> | undefined, sessionId: string, what: string) {
  if (labels?.[LABEL_SESSION] !== sessionId) {
    throw new Error(`${what} exists but does not belong to session ${sessionId}; refusing to adopt it`);
  }
}
