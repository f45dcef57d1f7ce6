// The session's topology as the engine and its namespaces show it: the image's /bin/busybox `ip`
// (no shell, no PATH, a fixed environment) per running namespace owner (the session host, the lab
// DNS, each learner container with a namespace of its own) for interface names, MACs and IPv4
// addresses; the engine's endpoints say which session network each interface is a leg of (the one
// interface bearing that endpoint's MAC); the networks' IPAM their subnets;
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
/**
 * The image's own busybox (the root filesystem is read-only), by its path and without a shell, in a
 * fixed environment: a learner's `ip` early in PATH, a shell alias or an exported variable cannot
 * change what links and capture checks trust.
 */
const IP_READS = [
  ["/bin/busybox", "ip", "-o", "link"],
  ["/bin/busybox", "ip", "-o", "-4", "addr"],
];
const IP_ENV = ["PATH=/bin:/sbin", "LD_PRELOAD=", "LD_LIBRARY_PATH=", "LC_ALL=C", "ENV=", "BASH_ENV="];
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
      const container = docker.getContainer(info.Id);
      const outputs = await Promise.all(
        IP_READS.map(async (argv) => {
          const { exitCode, output } = await runInContainer(docker, container, argv, IP_TIMEOUT_MS, IP_MAX_OUTPUT, IP_ENV);
          return exitCode === 0 ? output : ""; // no busybox in the image: nothing read, nothing trusted
        }),
      );
      const read = parseIpOutput(outputs.join("\n"));
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
          // An interface is a network's leg only by that endpoint's MAC, and only the one interface bearing it.
          const bearing = new Map<string, number>();
          for (const i of read) if (i.mac) bearing.set(i.mac, (bearing.get(i.mac) ?? 0) + 1);
          interfaces.set(
            nameOf(info),
            read.map((i) => {
              const network = i.mac && bearing.get(i.mac) === 1 ? legs.get(i.mac) : undefined;
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
