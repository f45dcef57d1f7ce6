// Session containers: the session host, the lab DNS service and the learner's containers (those
// of the lab and those made with `docker run`), all hardened the same way and labelled with their
// session.
import type Docker from "dockerode";
import { LAB_DNS_ADDRESS } from "~/core/labs/schema";
import type { PlannedContainer } from "~/core/provisioner/plan";
import { SpecError } from "~/core/provisioner/port";
import { containerMode, DEFAULT_NETWORK, SESSION_HOST, sharedContainer, sharingMode } from "~/protocol/labNames";
import { statusOf, toProvisionerError } from "./errors";
import type { LabFiles } from "./labFiles";
import { assertOwned, containerName, LABEL_KIND, sessionLabels } from "./names";
import type { LearnerRun } from "./learnerObjects";
import { dnsAddress, gatewayAddress, hostAddress, SESSION_HOST_ETH0_ADDRESS, type ReadyNetwork } from "./networks";

export type ContainerLimits = { memoryMb: number; pidsLimit: number; tmpfsMb: number };
export type LabImages = { learner: string; host: string };

/** Names the lab DNS answers, all pointing into the session (never outside it): the host is its eth0. */
export function labZone(dnsIp: string): string[] {
  const host = SESSION_HOST_ETH0_ADDRESS;
  return [`www.lab.example=${host}`, `host.lab.example=${host}`, `dns.lab.example=${dnsIp}`, `www.baidu.com=${host}`];
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

export function hardening(limits: ContainerLimits): Docker.HostConfig {
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

/** In the session host: the session's own Docker API socket folder (labFiles.runDir). */
export const SESSION_HOST_RUN_DIR = "/var/run";

/**
 * The create options and extra networks for one container: a planned one or, with `run`, one a
 * learner asked for (`docker run`: its command, environment and terminal settings; hardening,
 * attach and DNS rules are the same for both, so the two are indistinguishable in HostConfig).
 */
export async function createOptions(c: PlannedContainer, ctx: Context, run?: LearnerRun) {
  const { sessionId, networks } = ctx;
  const bridge = networks.get(DEFAULT_NETWORK)!;
  const gateway = gatewayAddress(bridge.subnet); // the session host's docker0
  const dnsIp = dnsAddress(bridge.subnet);
  const host: Docker.HostConfig = hardening(ctx.limits);
  const options: Docker.ContainerCreateOptions = {
    name: containerName(sessionId, c.name),
    Image: ctx.images.learner,
    Cmd: ["sh", "-c", IDLE],
    Labels: { ...sessionLabels(sessionId, c.name, ctx.installationId), [LABEL_KIND]: c.role },
    HostConfig: host,
  };
  const binds: string[] = [];
  const extra: { network: ReadyNetwork; ip: string }[] = [];
  let resolvers: string[] | undefined; // written to a bind-mounted resolv.conf when set
  let hostname: string | undefined = c.name;

  if (c.role === "host" || c.role === "dns") {
    options.Image = ctx.images.host;
    host.Sysctls = {
      "net.ipv4.ip_unprivileged_port_start": "0", // labdns binds :53 with no capability
      "net.ipv4.ip_forward": "0", // the gateway of the default bridge routes nothing anywhere
    };
    const ip = c.role === "host" ? hostAddress(bridge.subnet) : dnsIp;
    const zone = labZone(dnsIp).join(" ");
    options.Cmd = ["sh", "-c", c.role === "host" ? `labdns -p 53 ${zone} & ${IDLE}` : `exec labdns -p 53 ${zone}`];
    host.NetworkMode = bridge.engineName;
    // No alias: on the default bridge, names do not resolve (as on docker0).
    options.NetworkingConfig = { EndpointsConfig: { [bridge.engineName]: { IPAMConfig: { IPv4Address: ip } } } };
    host.Dns = [gateway];
    resolvers = c.role === "host" ? ["127.0.0.1"] : [dnsIp];
    if (c.role === "host") {
      binds.push(`${await ctx.files.runDir(sessionId)}:${SESSION_HOST_RUN_DIR}:ro`);
      // Like a real host, the session host sits on every network of the session.
      for (const net of networks.values()) if (net !== bridge) extra.push({ network: net, ip: hostAddress(net.subnet) });
    }
  } else if (c.attach.kind === "none") {
    host.NetworkMode = "none";
    resolvers = [];
  } else if (c.attach.kind === "container") {
    hostname = undefined; // the namespace's owner's (the engine refuses one)
    host.NetworkMode = containerMode(containerName(sessionId, c.attach.target));
    resolvers = ctx.resolvers.get(c.attach.target) ?? [];
  } else {
    const net = networks.get(c.attach.network)!;
    host.NetworkMode = net.engineName;
    if (net.name === DEFAULT_NETWORK) {
      // Like docker0: the host (its gateway address) or the --dns servers as resolvers, and no
      // names between containers: no alias, and the engine's resolver forwards to the host only.
      resolvers = (c.dns ?? [gateway]).map((ip) => (ip === LAB_DNS_ADDRESS ? dnsIp : ip));
      host.Dns = [gateway];
      // The engine makes a container's hostname a DNS alias on the network: keep its default (the
      // short id, as `docker run` gives on docker0), so the name does not resolve.
      hostname = undefined;
    } else {
      // User networks keep Docker's embedded DNS (names), forwarding to the session host there.
      options.NetworkingConfig = { EndpointsConfig: { [net.engineName]: { Aliases: [c.name] } } };
      host.Dns = [hostAddress(net.subnet)];
    }
  }
  if (run) {
    if (run.hostname !== undefined && c.attach.kind === "container") {
      throw new SpecError(
        `--hostname cannot be combined with --network ${sharingMode(c.attach.target)} (it shares that hostname)`,
      );
    }
    // Without --hostname, the engine's default (the short container id), as `docker run` gives.
    hostname = c.attach.kind === "container" ? undefined : run.hostname;
    options.Cmd = run.cmd;
    options.Env = run.env;
    options.Tty = run.tty;
    options.OpenStdin = run.openStdin;
    options.StdinOnce = run.stdinOnce;
    options.AttachStdin = run.attachStdin;
    options.AttachStdout = run.attachStdout;
    options.AttachStderr = run.attachStderr;
    host.AutoRemove = run.autoRemove;
  }
  if (hostname !== undefined) options.Hostname = hostname;
  if (sharedContainer(host.NetworkMode ?? "") === undefined) host.Sysctls = { ...host.Sysctls, ...NETWORK_SYSCTLS };
  if (resolvers) binds.unshift(`${await ctx.files.writeResolvConf(sessionId, c.name, resolvers)}:/etc/resolv.conf:ro`);
  if (binds.length) host.Binds = binds;
  ctx.resolvers.set(c.name, resolvers ?? ["127.0.0.11"]);
  return { options, extra };
}

/** Connects the session host to a session network at its fixed address (already connected: done). */
export async function connectSessionHost(
  docker: Docker,
  hostId: string,
  network: ReadyNetwork,
  ip = hostAddress(network.subnet),
) {
  try {
    await docker.getNetwork(network.engineName).connect({
      Container: hostId,
      EndpointConfig: { IPAMConfig: { IPv4Address: ip }, Aliases: [SESSION_HOST] },
    });
  } catch (error) {
    if (!/already exists/i.test((error as Error).message ?? "")) throw toProvisionerError(error);
  }
}

/** Creates (or adopts), connects and starts a planned container; returns its engine id. */
export async function ensureContainer(docker: Docker, c: PlannedContainer, ctx: Context): Promise<string> {
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
    await connectSessionHost(docker, info.Id, network, ip);
  }
  if (!info.State.Running) {
    try {
      await container.start();
    } catch (error) {
      if (statusOf(error) !== 304) throw toProvisionerError(error);
    }
  }
  return info.Id;
}

export type { Context as ContainerContext };
