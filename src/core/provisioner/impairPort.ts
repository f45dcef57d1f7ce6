// What link impairment needs from an engine: a helper per impaired interface, running in the
// network namespace of one of the session's containers (never the machine's), holding only
// NET_ADMIN there; the learner's containers gain nothing. The Docker adapter is
// worker/provisioner/docker/impair.ts.
import type { LinkSpec } from "~/protocol/linkSpec";

/** A network namespace of the session, named by its owner ("host", "dns" or a learner container). */
export type NamespaceHandle = {
  owner: string;
  /** Which namespace exactly: a container started again, or made again under the same name, has another. */
  key: string;
};

/** A helper present on the engine for the session: what it applies, where, and whether it still runs. */
export type AppliedLink = {
  helper: string;
  container: string;
  iface: string;
  namespace: string;
  spec: LinkSpec;
  running: boolean;
};

export interface ImpairPort {
  /** The running namespace a session container's owner has now, or undefined (not there, not running). */
  namespace(sessionId: string, owner: string): Promise<NamespaceHandle | undefined>;
  /** The session's helpers. */
  applied(sessionId: string): Promise<AppliedLink[]>;
  /**
   * Starts the helper applying `spec` on the namespace's interface (replacing one there) and
   * resolves once it is in effect; throws with the helper's own words when it could not apply it.
   */
  apply(sessionId: string, namespace: NamespaceHandle, iface: string, spec: LinkSpec): Promise<void>;
  /** Stops a helper (which removes what it added) and removes it; safe to repeat. */
  remove(sessionId: string, link: AppliedLink): Promise<void>;
}
