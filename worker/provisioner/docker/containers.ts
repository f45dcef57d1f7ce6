// Session containers: the session host, the lab DNS service and the learner's containers, all
// hardened the same way and labelled with their session.
import type Docker from "dockerode";
import { LAB_DNS_ADDRESS } from "~/core/labs/schema";
import type { PlannedContainer } from "~/core/provisioner/plan";
import { containerMode, DEFAULT_NETWORK, SESSION_HOST, sharedContainer } from "~/protocol/labNames";
import { statusOf, toProvisionerError } from "./errors";
import type { LabFiles } from "./labFiles";
import { assertOwned, containerName, LABEL_KIND, sessionLabels } from "./names";
import { DNS_OFFSET, HOST_OFFSET, type ReadyNetwork } from "./networks";
import { addressIn } from "./subnets";

export type ContainerLimits = { memoryMb: number; pidsLimit: number; tmpfsMb: number };
export type LabImages = { learner: string; host: string };

/** Names the lab DNS answers, all pointing into the session (never outside it). */
export function labZone(hostIp: string, dnsIp: string): string[] {
  return [`www.lab.example=${hostIp}`, `host.lab.example=${hostIp}`, `dns.lab.example=${dnsIp}`, `www.baidu.com=${hostIp}`];
}

const IDLE = "trap 'exit 0' TERM; while :; do sleep 3600 & wait; done";

type Context = {
  sessionId: string;
  networks: Map<string, ReadyNetwork>;
  /** Resolvers each container ended up with, for container:<name> to inherit. */
  resolvers: Map<string, string[]>;
  limits: ContainerLimits;
  images: LabImages;
  files: LabFiles;
  installationId: string;
};

/**
 * Sysctls of the container's own network namespace (not settable when it shares another's:
 * that one has them already). No IPv6: lab networks are IPv4 and the machine is IPv4-only to them.
 * ICMP datagram sockets for everyone: the image's ping uses them, so no NET_RAW is needed.
 */
const NETWORK_SYSCTLS = {
  "net.ipv6.conf.all.disable_ipv6": "1",
  "net.ipv6.conf.default.disable_ipv6": "1",
  "net.ipv4.ping_group_range": "0 2147483647",
};

function hardening(limits: ContainerLimits): Docker.HostConfig {
  const memory = limits.memoryMb * 1024 * 1024;
  return {
    Memory: memory,
    MemorySwap: memory,
    PidsLimit: limits.pidsLimit,
    CpuShares: 256,
    CapDrop: ["ALL"], // even NET_RAW: no raw or packet sockets (ping uses ICMP datagram sockets)
    SecurityOpt: ["no-new-privileges"],
    ReadonlyRootfs: true,
    // Writable places run no programs (/dev excepted: the engine cannot make it noexec; see README).
    Tmpfs: { "/tmp": `rw,nosuid,nodev,noexec,size=${limits.tmpfsMb}m`, "/root": "rw,nosuid,nodev,noexec,size=4m" },
    RestartPolicy: { Name: "no" },
    // What a container prints to its own stdout stays bounded on the machine's disk.
    LogConfig: { Type: "json-file", Config: { "max-size": "256k", "max-file": "1" } },
  };
}

/** The create options and extra networks for one planned container. */
async function createOptions(c: PlannedContainer, ctx: Context) {
  const { sessionId, networks } = ctx;
  const bridge = networks.get(DEFAULT_NETWORK)!;
  const hostIp = addressIn(bridge.subnet, HOST_OFFSET);
  const dnsIp = addressIn(bridge.subnet, DNS_OFFSET);
  const host: Docker.HostConfig = hardening(ctx.limits);
  const options: Docker.ContainerCreateOptions = {
    name: containerName(sessionId, c.name),
    Image: ctx.images.learner,
    Cmd: ["sh", "-c", IDLE],
    Labels: { ...sessionLabels(sessionId, c.name, ctx.installationId), [LABEL_KIND]: c.role },
    HostConfig: host,
  };
  const extra: { network: ReadyNetwork; ip: string }[] = [];
  let resolvers: string[] | undefined; // written to a bind-mounted resolv.conf when set

  if (c.role === "host" || c.role === "dns") {
    options.Image = ctx.images.host;
    options.Hostname = c.name;
    host.Sysctls = { "net.ipv4.ip_unprivileged_port_start": "0" }; // labdns binds :53 with no capability
    const ip = c.role === "host" ? hostIp : dnsIp;
    const zone = labZone(hostIp, dnsIp).join(" ");
    options.Cmd = ["sh", "-c", c.role === "host" ? `labdns -p 53 ${zone} & ${IDLE}` : `exec labdns -p 53 ${zone}`];
    host.NetworkMode = bridge.engineName;
    options.NetworkingConfig = {
      EndpointsConfig: { [bridge.engineName]: { IPAMConfig: { IPv4Address: ip }, Aliases: [c.name] } },
    };
    resolvers = c.role === "host" ? ["127.0.0.1"] : [dnsIp];
    // Like a real host, the session host sits on every network of the session.
    if (c.role === "host") {
      for (const net of networks.values())
        if (net !== bridge) extra.push({ network: net, ip: addressIn(net.subnet, HOST_OFFSET) });
    }
  } else if (c.attach.kind === "none") {
    options.Hostname = c.name;
    host.NetworkMode = "none";
    resolvers = [];
  } else if (c.attach.kind === "container") {
    host.NetworkMode = containerMode(containerName(sessionId, c.attach.target));
    resolvers = ctx.resolvers.get(c.attach.target) ?? [];
  } else {
    const net = networks.get(c.attach.network)!;
    options.Hostname = c.name;
    host.NetworkMode = net.engineName;
    options.NetworkingConfig = { EndpointsConfig: { [net.engineName]: { Aliases: [c.name] } } };
    const upstream = (c.dns ?? [addressIn(net.subnet, HOST_OFFSET)]).map((ip) => (ip === LAB_DNS_ADDRESS ? dnsIp : ip));
    if (net.name === DEFAULT_NETWORK) {
      resolvers = upstream; // like docker0: the host's resolver, no name resolution between containers
    } else {
      host.Dns = upstream; // user networks keep Docker's embedded DNS (names), forwarding to these
    }
  }
  if (sharedContainer(host.NetworkMode ?? "") === undefined) host.Sysctls = { ...host.Sysctls, ...NETWORK_SYSCTLS };
  if (resolvers) {
    const file = await ctx.files.writeResolvConf(sessionId, c.name, resolvers);
    host.Binds = [`${file}:/etc/resolv.conf:ro`];
  }
  ctx.resolvers.set(c.name, resolvers ?? ["127.0.0.11"]);
  return { options, extra };
}

export async function ensureContainer(docker: Docker, c: PlannedContainer, ctx: Context): Promise<void> {
  const { options, extra } = await createOptions(c, ctx);
  const container = docker.getContainer(options.name!);
  let info: Docker.ContainerInspectInfo | undefined;
  try {
    info = await container.inspect();
    assertOwned(info.Config.Labels, ctx.sessionId, `container ${options.name}`);
  } catch (error) {
    if (statusOf(error) !== 404) throw toProvisionerError(error);
  }
  if (!info) {
    try {
      await docker.createContainer(options);
    } catch (error) {
      if (statusOf(error) !== 409) throw toProvisionerError(error); // created meanwhile: adopt it
    }
    info = await container.inspect();
  }
  for (const { network, ip } of extra) {
    if (info.NetworkSettings.Networks[network.engineName]) continue;
    try {
      await docker.getNetwork(network.engineName).connect({
        Container: info.Id,
        EndpointConfig: { IPAMConfig: { IPv4Address: ip }, Aliases: [SESSION_HOST] },
      });
    } catch (error) {
      if (!/already exists/i.test((error as Error).message ?? "")) throw toProvisionerError(error);
    }
  }
  if (!info.State.Running) {
    try {
      await container.start();
    } catch (error) {
      if (statusOf(error) !== 304) throw toProvisionerError(error);
    }
  }
}

export type { Context as ContainerContext };
