// Whose network namespace a session's container is in: the container itself, or, for one started with
// `--network container:X` (the session's host mode is container:<session host>), the owner it shares,
// followed at most MAX_HOPS times. Every hop must be the session's and running; a container in the
// machine's namespace (NetworkMode host) is never an owner. Capture and link helpers join the owner.
import type Docker from "dockerode";
import { sharedContainer } from "~/protocol/labNames";
import { statusOf, toProvisionerError } from "./errors";
import { labelOf } from "./names";

/** Namespace hops followed (container: → container: …) before giving up. */
export const MAX_HOPS = 4;

export type NamespaceOwner =
  | { found: true; info: Docker.ContainerInspectInfo }
  /** missing: not there, not the session's, the machine's namespace, or too many hops; stopped: some hop is not running. */
  | { found: false; why: "missing" | "stopped" };

/** The owner of the namespace of `ref` (an engine id or name of the session's container). */
export async function namespaceOwner(docker: Docker, sessionId: string, ref: string): Promise<NamespaceOwner> {
  let next = ref;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await docker.getContainer(next).inspect();
    } catch (error) {
      if (statusOf(error) === 404) return { found: false, why: "missing" };
      throw toProvisionerError(error);
    }
    if (labelOf(info.Config.Labels, "session") !== sessionId) return { found: false, why: "missing" };
    if (!info.State.Running || !info.State.Pid) return { found: false, why: "stopped" };
    const mode = info.HostConfig.NetworkMode ?? "";
    if (mode === "host") return { found: false, why: "missing" };
    const shared = sharedContainer(mode);
    if (shared === undefined) return { found: true, info };
    next = shared;
  }
  return { found: false, why: "missing" };
}
