// Session networks: internal (no route off the machine), on a subnet from the platform's pool,
// with no address for the worker machine on lab bridges, so lab containers cannot reach it. Lab
// bridges get a Linux name with a common prefix (nlab-…), which the lab firewall matches.
import type Docker from "dockerode";
import { SpecError } from "~/core/provisioner/port";
import type { PlannedNetwork } from "~/core/provisioner/plan";
import { engine, statusOf, toProvisionerError } from "./errors";
import { assertOwned, LABEL_KIND, labBridgeName, networkName, sessionLabels } from "./names";
import { addressIn, pickFreeSubnet } from "./subnets";

/** `bridge`: the Linux bridge on the machine (bridge networks made by this platform). */
export type ReadyNetwork = PlannedNetwork & { engineName: string; id: string; subnet: string; bridge?: string };

/** Where the session host and the lab DNS service sit on every session subnet. */
export const HOST_OFFSET = 254;
export const DNS_OFFSET = 253;

export class OverlayUnavailableError extends SpecError {
  constructor() {
    super(
      "overlay networks need the lab host's Docker engine in swarm mode; run `docker swarm init --advertise-addr 127.0.0.1` " +
        "on it (scripts/up.sh does this) or use a bridge network",
    );
  }
}

const BRIDGE_NAME = "com.docker.network.bridge.name";

async function usedSubnets(docker: Docker): Promise<{ subnets: string[]; bridges: Set<string> }> {
  const networks = await engine(() => docker.listNetworks());
  return {
    subnets: networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s)),
    bridges: new Set(networks.map((n) => n.Options?.[BRIDGE_NAME]).filter((b): b is string => !!b)),
  };
}

async function swarmActive(docker: Docker): Promise<boolean> {
  const info = (await engine(() => docker.info())) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState === "active";
}

function readyFrom(net: PlannedNetwork, info: Docker.NetworkInspectInfo): ReadyNetwork {
  const subnet = info.IPAM?.Config?.[0]?.Subnet;
  if (!subnet) throw new Error(`network ${info.Name} has no subnet`);
  return { ...net, engineName: info.Name, id: info.Id, subnet, bridge: info.Options?.[BRIDGE_NAME] };
}

export async function ensureNetwork(
  docker: Docker,
  sessionId: string,
  net: PlannedNetwork,
  options: { pool: string; installationId: string },
): Promise<ReadyNetwork> {
  const { pool } = options;
  const engineName = networkName(sessionId, net.name);
  // A new overlay can be inspected before swarm has filled in its IPAM (seen as "has no subnet"):
  // inspected again, for at most ~3 s; swarm sends no event for it.
  const inspect = async () => {
    const deadline = Date.now() + 3_000;
    for (let attempt = 0; ; attempt++) {
      const info = await docker.getNetwork(engineName).inspect();
      assertOwned(info.Labels, sessionId, `network ${engineName}`);
      if (info.IPAM?.Config?.[0]?.Subnet || Date.now() >= deadline) return readyFrom(net, info);
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 500)));
    }
  };
  try {
    return await inspect();
  } catch (error) {
    if (statusOf(error) !== 404) throw toProvisionerError(error);
  }
  if (net.driver === "overlay" && !(await swarmActive(docker))) throw new OverlayUnavailableError();

  const bridge = labBridgeName(engineName);
  for (let attempt = 0; attempt < 5; attempt++) {
    const used = await usedSubnets(docker);
    // The engine would silently share an existing Linux bridge between two networks.
    if (net.driver === "bridge" && used.bridges.has(bridge)) throw new Error(`bridge name ${bridge} is already in use`);
    const subnet = pickFreeSubnet(pool, used.subnets, `${sessionId}/${net.name}/${attempt}`);
    if (!subnet) throw new SpecError(`no free lab subnet is left in ${pool}; stop some sessions or widen LAB_SUBNET_POOL`);
    try {
      await docker.createNetwork({
        Name: engineName,
        Driver: net.driver,
        Internal: true, // no route off the machine
        Attachable: net.driver === "overlay",
        CheckDuplicate: true,
        Labels: { ...sessionLabels(sessionId, net.name, options.installationId), [LABEL_KIND]: "network" },
        IPAM: {
          Driver: "default",
          Config: [{ Subnet: subnet, Gateway: addressIn(subnet, 1), IPRange: subnet.replace(/\/24$/, "/25") }],
        },
        // The bridge on the worker machine gets no address: lab containers cannot reach the machine.
        Options: net.driver === "bridge" ? { "com.docker.network.bridge.inhibit_ipv4": "true", [BRIDGE_NAME]: bridge } : {},
      });
      return await inspect();
    } catch (error) {
      const status = statusOf(error);
      if (status === 409) return await inspect(); // created meanwhile by another attempt: adopt it
      const overlap = /overlap/i.test((error as Error).message ?? "");
      if (!overlap) throw toProvisionerError(error);
      // Another network took that subnet between our listing and our create: pick again.
    }
  }
  throw new Error(`could not find a free subnet for network ${net.name} after 5 attempts`);
}
