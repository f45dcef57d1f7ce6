// What a learner creates through the session's Docker API endpoint (`docker run`, `docker network
// create`), in the learner's terms. The endpoint (sessionApi/) validates the request; the runtime
// creates the objects with the same hardening and attach rules as the provisioned ones.
import type { NetworkMode } from "~/protocol/labNames";

export type LearnerRun = {
  /** Validated by the caller with learnerNameSchema. */
  name: string;
  /** From parseNetworkMode; `bridge` (the session's default bridge) when none was given. */
  attach: NetworkMode;
  /** `--dns` IPv4 addresses, already validated. */
  dns?: string[];
  hostname?: string;
  /** KEY=VALUE. */
  env: string[];
  /** Undefined: the image's default command (sh). */
  cmd?: string[];
  tty: boolean;
  openStdin: boolean;
  stdinOnce: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  autoRemove: boolean;
};

export type LearnerNetwork = { name: string; driver: "bridge" | "overlay"; subnet?: string };

export interface SessionRuntime {
  /**
   * Creates (does not start) a learner container with the platform's hardening and the same
   * attach and DNS rules as provisioned ones. Throws SpecError (one line) for an unknown network,
   * a missing container:<name>, a taken name or a full quota.
   */
  createContainer(sessionId: string, run: LearnerRun): Promise<{ id: string }>;
  /** An internal network from the platform's pool, the session host attached. Throws SpecError likewise. */
  createNetwork(sessionId: string, net: LearnerNetwork): Promise<{ id: string }>;
}
