// The session's topology as the engine and its namespaces show it: one exec of busybox's `ip` per
// running namespace owner (the session host, the lab DNS, each learner container with a namespace
// of its own) for interface names, MACs and IPv4 addresses; the engine's endpoints say which
// session network each interface is a leg of (matched by MAC); the networks' IPAM their subnets;
// the per-container resolv.conf files where DNS goes. An owner's interfaces are read again only
// when it restarted or its endpoints changed (a learner holds no NET_ADMIN to change them), so a
// refresh after `docker run` execs in the new container alone.
import type Docker from "dockerode";
import type { InterfaceView, TopologyNetwork, TopologyView } from "~/core/sessions/engineView";
import { buildTopology, type TopologyContainer } from "~/core/sessions/topology";
import {
  DEFAULT_NETWORK,
  ifaceNameSchema,
  LAB_DNS,
  NO_NETWORK,
  SESSION_HOST,
  sharedContainer,
  sharingMode,
} from "~/protocol/labNames";
import { inspectInCreationOrder } from "./containerView";
import { engine, statusOf, toProvisionerError } from "./errors";
import type { createLabFiles } from "./labFiles";
import { vethName } from "./hostSetup";
import { labelOf, LEARNER_KIND, learnerNetworkName, sessionFilters } from "./names";
import { runInContainer } from "./run";

/** A Linux interface name (what the kernel allows, and what a capture may name). */
const MAX_INTERFACES = 64;
const IP_COMMAND = ["sh", "-c", "ip -o link; ip -o -4 addr"];
const IP_TIMEOUT_MS = 5_000;
const IP_MAX_OUTPUT = 32 * 1024;

type ReadInterface = Omit<InterfaceView, "network">;

/** busybox `ip -o link; ip -o -4 addr` → interfaces in index order; lines that are not one of its are ignored. */
export function parseIpOutput(output: string): ReadInterface[] {
  const byIndex = new Map<number, ReadInterface>();
  for (const line of output.split("\n")) {
    const link = /^(\d+):\s+([^\s:@]+)(?:@\S+)?:\s+<([^>]*)>.*?link\/\w+(?:\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5}))?/.exec(line);
    if (link) {
      const [, index, name = "", flags = "", mac] = link;
      if (!ifaceNameSchema.safeParse(name).success || byIndex.size >= MAX_INTERFACES) continue;
      const up = flags.split(",").includes("UP");
      byIndex.set(Number(index), { name, ...(mac && mac !== "00:00:00:00:00:00" ? { mac } : {}), ipv4: [], up });
      continue;
    }
    const addr = /^(\d+):\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})\s/.exec(line);
    if (addr) byIndex.get(Number(addr[1]))?.ipv4.push(addr[3]!);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, i]) => i);
}

type Files = Pick<ReturnType<typeof createLabFiles>, "readResolvConf">;

export function createTopologyReader(docker: Docker, files: Files) {
  /** Per session: each owner's interfaces under the key of its start and endpoints (only the last read's). */
  const cache = new Map<string, Map<string, ReadInterface[]>>();

  async function interfacesIn(
    info: Docker.ContainerInspectInfo,
    cached: Map<string, ReadInterface[]>,
    kept: Map<string, ReadInterface[]>,
  ) {
    const endpoints = Object.values(info.NetworkSettings.Networks ?? {})
      .map((e) => `${e.EndpointID}/${e.MacAddress}`)
      .sort();
    const key = `${info.Id}|${info.State.StartedAt}|${endpoints.join(",")}`;
    const hit = cached.get(key);
    if (hit) {
      kept.set(key, hit);
      return hit;
    }
    try {
      const { output } = await runInContainer(docker, docker.getContainer(info.Id), IP_COMMAND, IP_TIMEOUT_MS, IP_MAX_OUTPUT);
      const read = parseIpOutput(output);
      // The session host is renamed (docker0) by its set-up helper after it started: kept once that is done.
      if (labelOf(info.Config.Labels, "kind") !== SESSION_HOST || read.some((i) => i.name === "docker0")) kept.set(key, read);
      return read;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 409) return []; // removed or stopped since it was listed
      throw toProvisionerError(error);
    }
  }

  async function networksOf(sessionId: string): Promise<TopologyNetwork[]> {
    const listed = (
      await engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listNetworks({ filters }))))
    ).flat();
    return listed
      .map((n) => {
        const name = labelOf(n.Labels, "name") ?? n.Name;
        const ipam = n.IPAM?.Config?.[0];
        return {
          name,
          driver: name === DEFAULT_NETWORK ? "bridge" : n.Driver,
          ...(ipam?.Subnet ? { subnet: ipam.Subnet } : {}),
          ...(ipam?.Gateway ? { gateway: ipam.Gateway } : {}),
        };
      })
      .sort((a, b) => (a.name === DEFAULT_NETWORK ? -1 : b.name === DEFAULT_NETWORK ? 1 : a.name.localeCompare(b.name)));
  }

  async function read(sessionId: string): Promise<TopologyView> {
    const [listed, networks] = await Promise.all([
      engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listContainers({ all: true, filters })))),
      networksOf(sessionId),
    ]);
    const ours = listed.flat().filter((c) => [LEARNER_KIND, SESSION_HOST, LAB_DNS].includes(labelOf(c.Labels, "kind") ?? ""));
    const inspected = await inspectInCreationOrder(docker, ours);

    const nameOf = (info: Docker.ContainerInspectInfo) => labelOf(info.Config.Labels, "name") ?? info.Name.replace(/^\//, "");
    const byEngineRef = new Map<string, Docker.ContainerInspectInfo>();
    for (const info of inspected) {
      byEngineRef.set(info.Id, info);
      byEngineRef.set(info.Name.replace(/^\//, ""), info);
    }
    const modeOf = (info: Docker.ContainerInspectInfo): string => {
      const mode = info.HostConfig.NetworkMode ?? "";
      if (mode === NO_NETWORK) return NO_NETWORK;
      const target = sharedContainer(mode);
      if (target !== undefined) {
        const joined = byEngineRef.get(target);
        return sharingMode(joined ? nameOf(joined) : target);
      }
      return learnerNetworkName(sessionId, mode) ?? mode;
    };

    const containers: TopologyContainer[] = await Promise.all(
      inspected.map(async (info) => {
        const kind = labelOf(info.Config.Labels, "kind");
        const name = nameOf(info);
        return {
          name,
          role: kind === SESSION_HOST ? "host" : kind === LAB_DNS ? "dns" : "learner",
          networkMode: modeOf(info),
          running: info.State.Running,
          resolvers: await files.readResolvConf(sessionId, name),
        } satisfies TopologyContainer;
      }),
    );

    // One `ip` per running namespace owner (a container not joined to another's).
    const cached = cache.get(sessionId) ?? new Map<string, ReadInterface[]>();
    const kept = new Map<string, ReadInterface[]>();
    const interfaces = new Map<string, InterfaceView[]>();
    await Promise.all(
      inspected
        .filter((info) => info.State.Running && sharedContainer(info.HostConfig.NetworkMode ?? "") === undefined)
        .map(async (info) => {
          const legs = new Map<string, string>();
          for (const [engineName, endpoint] of Object.entries(info.NetworkSettings.Networks ?? {})) {
            const network = learnerNetworkName(sessionId, engineName);
            if (endpoint.MacAddress && network) legs.set(endpoint.MacAddress.toLowerCase(), network);
          }
          // The session host's eth0 is one end of a veth pair whose other end stays beside it: set-up plumbing, not drawn.
          const plumbing = labelOf(info.Config.Labels, "kind") === SESSION_HOST ? vethName(sessionId) : undefined;
          const read = (await interfacesIn(info, cached, kept)).filter((i) => i.name !== plumbing);
          interfaces.set(
            nameOf(info),
            read.map((i) => {
              const network = i.mac ? legs.get(i.mac) : undefined;
              return network ? { ...i, network } : { ...i };
            }),
          );
        }),
    );
    if (inspected.length) cache.set(sessionId, kept);
    else cache.delete(sessionId);
    return buildTopology({ containers, interfaces, networks });
  }

  return {
    read,
    /** Drops what is remembered of a session (its teardown). */
    forget(sessionId: string) {
      cache.delete(sessionId);
    },
  };
}
