// Session networks, on subnets from the platform's pools, with no address for the worker machine
// on lab bridges, so lab containers cannot reach it. Lab bridges get a Linux name with a common
// prefix (nlab-…), which the lab firewall matches.
// - The default bridge is a /16 from LAB_BRIDGE_POOL and not internal: its containers get
//   `default via <.1>`, and .1 is the session host's docker0 (hostSetup.ts), as on the seed's host.
//   The bridge has no address on the machine and no masquerade; the lab firewall drops anything
//   the machine would route from or to it (DOCKER-USER).
// - User networks are internal /24s (or the learner's /24../29) from LAB_SUBNET_POOL.
import type Docker from "dockerode";
import { SpecError } from "~/core/provisioner/port";
import type { PlannedNetwork } from "~/core/provisioner/plan";
import { DEFAULT_NETWORK } from "~/protocol/labNames";
import { engine, statusOf, toProvisionerError } from "./errors";
import { assertOwned, LABEL_KIND, labBridgeName, networkName, sessionLabels } from "./names";
import { addressIn, cidrWithin, parseCidr, pickFreeSubnet, toIp } from "./subnets";

/** `bridge`: the Linux bridge on the machine (bridge networks made by this platform). */
export type ReadyNetwork = PlannedNetwork & { engineName: string; id: string; subnet: string; bridge?: string };

/** The session host's address on a session subnet: its top usable one (.254 of a /24, .255.254 of a /16). */
export function hostAddress(subnet: string): string {
  return toIp(parseCidr(subnet).end - 1);
}

/** The lab DNS service's address on the default bridge: just below the session host's. */
export function dnsAddress(subnet: string): string {
  return toIp(parseCidr(subnet).end - 2);
}

/** The gateway Docker's IPAM reserves (.1): on the default bridge, the session host's docker0. */
export function gatewayAddress(subnet: string): string {
  return addressIn(subnet, 1);
}

/**
 * The session host's eth0 (made by hostSetup.ts; Docker Desktop's host address): the lab zone
 * answers it for www.lab.example. Its /28 is never handed out from either pool.
 */
export const SESSION_HOST_ETH0 = "192.168.65.3/28";
export const SESSION_HOST_ETH0_ADDRESS = SESSION_HOST_ETH0.split("/")[0]!;

export type NetworkPools = {
  /** LAB_BRIDGE_POOL: a /16 per session's default bridge. */
  bridge: string;
  /** LAB_SUBNET_POOL: a /24 per user network. */
  user: string;
};

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

export function readyFrom(net: PlannedNetwork, info: Docker.NetworkInspectInfo): ReadyNetwork {
  const subnet = info.IPAM?.Config?.[0]?.Subnet;
  if (!subnet) throw new Error(`network ${info.Name} has no subnet`);
  return { ...net, engineName: info.Name, id: info.Id, subnet, bridge: info.Options?.[BRIDGE_NAME] };
}

/** A learner's `--subnet`: a /24../29 inside LAB_SUBNET_POOL (free is checked at create). */
export function checkLearnerSubnet(subnet: string, pool: string): string {
  const accepted = `--subnet must be an IPv4 CIDR from /24 to /29 inside ${pool}, e.g. ${pool.split("/")[0]}/24`;
  let parsed: ReturnType<typeof parseCidr>;
  try {
    parsed = parseCidr(subnet);
  } catch {
    throw new SpecError(`"${subnet}" is not a subnet; ${accepted}`);
  }
  if (parsed.prefix < 24 || parsed.prefix > 29 || !cidrWithin(subnet, pool)) throw new SpecError(`${subnet}: ${accepted}`);
  const normal = `${toIp(parsed.start)}/${parsed.prefix}`;
  if (normal !== subnet) throw new SpecError(`${subnet} has host bits set; did you mean ${normal}?`);
  return normal;
}

export async function ensureNetwork(
  docker: Docker,
  sessionId: string,
  net: PlannedNetwork,
  options: { pools: NetworkPools; installationId: string; subnet?: string },
): Promise<ReadyNetwork> {
  const isDefault = net.name === DEFAULT_NETWORK;
  const pool = isDefault ? options.pools.bridge : options.pools.user;
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
  const prefixLength = isDefault ? 16 : 24;
  // Neither pool hands out the other's range (the default pools nest: 10.213.0.0/16 in 10.0.0.0/8)
  // nor the session host's eth0.
  const reserved = [SESSION_HOST_ETH0, ...(isDefault ? [options.pools.user] : [])];
  for (let attempt = 0; attempt < 5; attempt++) {
    const used = await usedSubnets(docker);
    // The engine would silently share an existing Linux bridge between two networks.
    if (net.driver === "bridge" && used.bridges.has(bridge)) throw new Error(`bridge name ${bridge} is already in use`);
    const taken = [...reserved, ...used.subnets];
    let subnet: string | undefined;
    if (options.subnet) {
      const { start, end } = parseCidr(options.subnet);
      const clash = taken.find((t) => {
        const r = parseCidr(t);
        return r.start <= end && start <= r.end;
      });
      if (clash)
        throw new SpecError(
          `subnet ${options.subnet} overlaps a network in use (${clash}); choose another or leave --subnet out`,
        );
      subnet = options.subnet;
    } else {
      subnet = pickFreeSubnet(pool, taken, `${sessionId}/${net.name}/${attempt}`, prefixLength);
    }
    if (!subnet) {
      const setting = isDefault ? "LAB_BRIDGE_POOL" : "LAB_SUBNET_POOL";
      throw new SpecError(`no free lab subnet is left in ${pool}; stop some sessions or widen ${setting}`);
    }
    const { prefix } = parseCidr(subnet);
    try {
      await docker.createNetwork({
        Name: engineName,
        Driver: net.driver,
        // User networks have no route off the machine. The default bridge has one, to its gateway
        // .1, which is the session host (the bridge itself has no address on the machine).
        Internal: !isDefault,
        Attachable: net.driver === "overlay",
        CheckDuplicate: true,
        Labels: { ...sessionLabels(sessionId, net.name, options.installationId), [LABEL_KIND]: "network" },
        IPAM: {
          Driver: "default",
          // Containers get addresses from the lower half; the session host and DNS sit at the top.
          Config: [{ Subnet: subnet, Gateway: gatewayAddress(subnet), IPRange: `${subnet.split("/")[0]}/${prefix + 1}` }],
        },
        // The bridge on the worker machine gets no address: lab containers cannot reach the machine.
        Options:
          net.driver === "bridge"
            ? {
                "com.docker.network.bridge.inhibit_ipv4": "true",
                "com.docker.network.bridge.enable_ip_masquerade": "false",
                [BRIDGE_NAME]: bridge,
              }
            : {},
      });
      return await inspect();
    } catch (error) {
      const status = statusOf(error);
      if (status === 409) return await inspect(); // created meanwhile by another attempt: adopt it
      const overlap = /overlap/i.test((error as Error).message ?? "");
      if (!overlap) throw toProvisionerError(error);
      if (options.subnet)
        throw new SpecError(`subnet ${options.subnet} overlaps a network in use; choose another or leave --subnet out`);
      // Another network took that subnet between our listing and our create: pick again.
    }
  }
  throw new Error(`could not find a free subnet for network ${net.name} after 5 attempts`);
}
