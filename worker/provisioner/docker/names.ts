// Deterministic engine names and labels for a session's objects: a retried job finds and adopts
// what an earlier attempt created instead of duplicating it.
//
// The project was called netlab. Objects made by that release carry `io.netlab.*` labels and
// `netlab-` names; for one release they are still found, adopted, viewed and torn down, so that an
// upgraded installation reconciles the sessions it is running (see LEGACY below).
import { createHash } from "node:crypto";
import type { PlannedContainer } from "~/core/provisioner/plan";

type Generation = { labelPrefix: string; namePrefix: string };
const CURRENT: Generation = { labelPrefix: "io.wireroom", namePrefix: "wireroom" };
/** Read, never written: remove after the release that follows the rename. */
const LEGACY: Generation = { labelPrefix: "io.netlab", namePrefix: "netlab" };
const GENERATIONS = [CURRENT, LEGACY];

export const LABEL_MANAGED = `${CURRENT.labelPrefix}.managed`;
export const LABEL_SESSION = `${CURRENT.labelPrefix}.session`;
export const LABEL_NAME = `${CURRENT.labelPrefix}.name`;
export const LABEL_KIND = `${CURRENT.labelPrefix}.kind`;
/** Which installation (database) created the object: a worker only reaps its own installation's. */
export const LABEL_INSTALLATION = `${CURRENT.labelPrefix}.installation`;
/** Which worker runs a helper it reads (capture helpers): a starting worker removes only its own. */
export const LABEL_WORKER = `${CURRENT.labelPrefix}.worker`;

type Labels = Record<string, string> | undefined;

/**
 * The kind label of a learner's containers (a lab's or one made with `docker run`): a plan's role
 * "learner". The platform's own are "host", "dns" and "helper", and a learner never sees them.
 */
export const LEARNER_KIND = "learner" satisfies PlannedContainer["role"];

/**
 * The kind label of the platform's helper containers (the session host's one-shot set-up, captures,
 * link impairments): torn down with the session, never a learner's, never counted against capacity.
 */
export const HELPER_KIND = "helper";

/** A label's value, from the current generation's key or the legacy one. */
export function labelOf(labels: Labels, key: "session" | "name" | "kind" | "installation" | "managed"): string | undefined {
  for (const g of GENERATIONS) {
    const value = labels?.[`${g.labelPrefix}.${key}`];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function containerName(sessionId: string, name: string): string {
  return `${CURRENT.namePrefix}-${sessionId}-${name}`;
}

/** The names a session's container may have: the current one first, then the legacy one. */
export function containerNames(sessionId: string, name: string): string[] {
  return GENERATIONS.map((g) => `${g.namePrefix}-${sessionId}-${name}`);
}

export function networkName(sessionId: string, name: string): string {
  return `${CURRENT.namePrefix}-${sessionId}-net-${name}`;
}

/** A session's network name in the learner's words, or undefined when it is not one of the session's. */
export function learnerNetworkName(sessionId: string, engineName: string): string | undefined {
  for (const g of GENERATIONS) {
    const prefix = `${g.namePrefix}-${sessionId}-net-`;
    if (engineName.startsWith(prefix)) return engineName.slice(prefix.length);
  }
  return undefined;
}

/** The session a network of this installation's naming belongs to, read from its engine name (any generation). */
export function sessionOfNetworkName(engineName: string): string | undefined {
  for (const g of GENERATIONS) {
    const match = new RegExp(`^${g.namePrefix}-([0-9a-f-]{36})-net-`).exec(engineName);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Every lab bridge's Linux name starts with this, so one firewall rule (`-i nlab-+`) covers all
 * of them, including bridges made after the rule. Kept through the rename: bridges that exist
 * already carry it, and the rule must go on covering them.
 */
export const LAB_BRIDGE_PREFIX = "nlab-";

/** The Linux bridge of a lab network: the prefix and 10 hex digits of its engine name (15 chars, the kernel's limit). */
export function labBridgeName(engineNetworkName: string): string {
  return LAB_BRIDGE_PREFIX + createHash("sha256").update(engineNetworkName).digest("hex").slice(0, 10);
}

export function sessionLabels(sessionId: string, name: string, installationId: string): Record<string, string> {
  return { [LABEL_MANAGED]: "true", [LABEL_INSTALLATION]: installationId, [LABEL_SESSION]: sessionId, [LABEL_NAME]: name };
}

/** One engine filter per generation: the engine ANDs labels, so each generation is listed apart. */
export function sessionFilters(sessionId: string): { label: string[] }[] {
  return GENERATIONS.map((g) => ({ label: [`${g.labelPrefix}.session=${sessionId}`] }));
}

/** Every object any installation made, of either generation (the operator's orphan reaper lists them all). */
export function managedFilters(): { label: string[] }[] {
  return GENERATIONS.map((g) => ({ label: [`${g.labelPrefix}.managed=true`] }));
}

export function installationFilters(installationId: string): { label: string[] }[] {
  return GENERATIONS.map((g) => ({
    label: [`${g.labelPrefix}.managed=true`, `${g.labelPrefix}.installation=${installationId}`],
  }));
}

export function assertOwned(labels: Labels, sessionId: string, what: string) {
  if (labelOf(labels, "session") !== sessionId) {
    throw new Error(`${what} exists but does not belong to session ${sessionId}; refusing to adopt it`);
  }
}
