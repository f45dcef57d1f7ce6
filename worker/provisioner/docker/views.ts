// What a learner sees of the engine: `docker network ls` for their session, `docker info`'s drivers.
import type Docker from "dockerode";
import type { NetworkViewEntry } from "~/core/provisioner/port";
import { DEFAULT_NETWORK, HOST_NETWORK, NO_NETWORK, sharedContainer, sharingMode } from "~/protocol/labNames";
import { engine } from "./errors";
import { labelOf, learnerNetworkName, sessionFilters } from "./names";
import { builtInNetworkId } from "./sessionApi/builtIns";

function shortId(id: string) {
  return id.slice(0, 12);
}

export async function sessionNetworkView(docker: Docker, sessionId: string): Promise<NetworkViewEntry[]> {
  const networks = (
    await engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listNetworks({ filters }))))
  ).flat();
  const own: NetworkViewEntry[] = networks.map((n) => {
    const name = labelOf(n.Labels, "name") ?? n.Name;
    return {
      id: shortId(n.Id),
      name,
      driver: name === DEFAULT_NETWORK ? "bridge" : n.Driver,
      scope: n.Scope === "swarm" ? "swarm" : "local",
    };
  });
  if (own.length === 0) return [];
  // host and none are built in: the same per-session ids as the session's `docker network ls`.
  const builtIns: NetworkViewEntry[] = [
    { id: shortId(builtInNetworkId(sessionId, HOST_NETWORK)), name: HOST_NETWORK, driver: "host", scope: "local" },
    { id: shortId(builtInNetworkId(sessionId, NO_NETWORK)), name: NO_NETWORK, driver: "null", scope: "local" },
  ];
  return [...own, ...builtIns].sort((a, b) => a.name.localeCompare(b.name));
}

/** An engine network mode in the learner's words: bridge, none, host, container:<name>, mynet. */
export async function learnerNetworkMode(docker: Docker, sessionId: string, mode: string): Promise<string> {
  if (mode === NO_NETWORK) return NO_NETWORK;
  const target = sharedContainer(mode);
  if (target !== undefined) {
    const info = await docker
      .getContainer(target)
      .inspect()
      .catch(() => undefined);
    return sharingMode(labelOf(info?.Config.Labels, "name") ?? target);
  }
  return learnerNetworkName(sessionId, mode) ?? mode;
}

/** The engine's id as `docker info` reports it (stable across the engine's restarts). */
export async function engineIdOf(docker: Docker): Promise<string> {
  const info = (await engine(() => docker.info())) as { ID?: string };
  if (!info.ID) throw new Error("the Docker engine's info has no ID");
  return info.ID;
}

export async function engineNetworkDrivers(docker: Docker): Promise<string[]> {
  const info = (await engine(() => docker.info())) as { Plugins?: { Network?: string[] } };
  return [...(info.Plugins?.Network ?? [])].sort();
}
