// `docker run`'s create call (POST /containers/create) read into a LearnerRun: the allowed fields
// are taken, every other one must carry the CLI's default, or the flag that set it is refused.
import { isIPv4 } from "node:net";
import { parseNetworkMode, type NetworkMode } from "~/protocol/labNames";
import type { LearnerRun } from "../learnerObjects";
import { badRequest } from "./apiError";
import { echo, imageNotAvailable, runFlagNotSupported } from "./messages";
import { isZero } from "./zero";
import { parseLearnerName } from "./validName";

/** The image names that mean the learner image. */
export const BUSYBOX_NAMES: ReadonlySet<string> = new Set([
  "busybox",
  "busybox:latest",
  "library/busybox",
  "library/busybox:latest",
  "docker.io/library/busybox",
  "docker.io/library/busybox:latest",
]);

/** Fields read into the LearnerRun (Config, then HostConfig). */
const CONFIG_ALLOWED = new Set([
  "Image",
  "Cmd",
  "Env",
  "Tty",
  "OpenStdin",
  "StdinOnce",
  "AttachStdin",
  "AttachStdout",
  "AttachStderr",
  "Hostname",
  "HostConfig",
  "NetworkingConfig",
]);
const HOST_ALLOWED = new Set(["NetworkMode", "Dns", "AutoRemove", "ConsoleSize"]);

/** The CLI flag behind a field, for the refusal. */
const FLAGS: Record<string, string> = {
  User: "--user",
  Entrypoint: "--entrypoint",
  WorkingDir: "--workdir/-w",
  Volumes: "-v/--volume",
  Labels: "--label",
  Domainname: "--domainname",
  ExposedPorts: "-p/--publish",
  StopSignal: "--stop-signal",
  StopTimeout: "--stop-timeout",
  Healthcheck: "--health-cmd",
  MacAddress: "--mac-address",
  OnBuild: "--on-build",
  Shell: "--shell",
  ArgsEscaped: "this option",
  NetworkDisabled: "--network-disabled",
  Binds: "-v/--volume",
  Mounts: "--mount",
  Tmpfs: "--tmpfs",
  VolumesFrom: "--volumes-from",
  VolumeDriver: "--volume-driver",
  ContainerIDFile: "--cidfile",
  LogConfig: "--log-driver/--log-opt",
  PortBindings: "-p/--publish",
  PublishAllPorts: "-P/--publish-all",
  RestartPolicy: "--restart",
  CapAdd: "--cap-add",
  CapDrop: "--cap-drop",
  CgroupnsMode: "--cgroupns",
  DnsOptions: "--dns-option",
  DnsSearch: "--dns-search",
  ExtraHosts: "--add-host",
  GroupAdd: "--group-add",
  IpcMode: "--ipc",
  Cgroup: "--cgroup",
  Links: "--link",
  OomScoreAdj: "--oom-score-adj",
  PidMode: "--pid",
  Privileged: "--privileged",
  ReadonlyRootfs: "--read-only",
  SecurityOpt: "--security-opt",
  StorageOpt: "--storage-opt",
  UTSMode: "--uts",
  UsernsMode: "--userns",
  ShmSize: "--shm-size",
  Sysctls: "--sysctl",
  Runtime: "--runtime",
  Isolation: "--isolation",
  CpuShares: "--cpu-shares",
  Memory: "--memory",
  NanoCpus: "--cpus",
  CgroupParent: "--cgroup-parent",
  BlkioWeight: "--blkio-weight",
  BlkioWeightDevice: "--blkio-weight-device",
  BlkioDeviceReadBps: "--device-read-bps",
  BlkioDeviceWriteBps: "--device-write-bps",
  BlkioDeviceReadIOps: "--device-read-iops",
  BlkioDeviceWriteIOps: "--device-write-iops",
  CpuPeriod: "--cpu-period",
  CpuQuota: "--cpu-quota",
  CpuRealtimePeriod: "--cpu-rt-period",
  CpuRealtimeRuntime: "--cpu-rt-runtime",
  CpusetCpus: "--cpuset-cpus",
  CpusetMems: "--cpuset-mems",
  Devices: "--device",
  DeviceCgroupRules: "--device-cgroup-rule",
  DeviceRequests: "--gpus",
  KernelMemory: "--kernel-memory",
  KernelMemoryTCP: "--kernel-memory",
  MemoryReservation: "--memory-reservation",
  MemorySwap: "--memory-swap",
  MemorySwappiness: "--memory-swappiness",
  OomKillDisable: "--oom-kill-disable",
  PidsLimit: "--pids-limit",
  Ulimits: "--ulimit",
  CpuCount: "--cpu-count",
  CpuPercent: "--cpu-percent",
  IOMaximumIOps: "--io-maxiops",
  IOMaximumBandwidth: "--io-maxbandwidth",
  MaskedPaths: "this option",
  ReadonlyPaths: "this option",
  Init: "--init",
  Annotations: "this option",
};

/** Defaults the CLI sends that are not zero. */
/** Maps whose keys are the setting (`-v /data` sends Volumes {"/data": {}}): empty only without keys. */
const MAPS = new Set(["Volumes", "Labels", "ExposedPorts", "PortBindings", "Sysctls", "Tmpfs", "StorageOpt", "Annotations"]);

function isDefault(field: string, value: unknown): boolean {
  if (MAPS.has(field))
    return value === null || value === undefined || (typeof value === "object" && Object.keys(value).length === 0);
  if (isZero(value)) return true;
  if (field === "MemorySwappiness") return value === -1;
  if (field === "RestartPolicy") {
    const p = value as { Name?: unknown; MaximumRetryCount?: unknown };
    return (p.Name === "no" || p.Name === "") && isZero(p.MaximumRetryCount);
  }
  return false;
}

function refuseNonDefault(body: Record<string, unknown>, allowed: Set<string>) {
  for (const [field, value] of Object.entries(body)) {
    if (allowed.has(field) || isDefault(field, value)) continue;
    throw badRequest(runFlagNotSupported(FLAGS[field] ?? `the option ${echo(field)}`));
  }
}

function stringList(value: unknown, what: string, check: (s: string) => boolean): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((s) => typeof s === "string" && check(s))) {
    throw badRequest(`${what}`);
  }
  return value as string[];
}

function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw badRequest(`${what} must be true or false`);
  return value;
}

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const ENV = /^[A-Za-z_][A-Za-z0-9_]{0,127}(=[^\0]{0,4096})?$/;

export function parseImage(image: unknown): void {
  if (typeof image !== "string" || !BUSYBOX_NAMES.has(image)) {
    throw badRequest(imageNotAvailable(typeof image === "string" && image ? echo(image) : '""'));
  }
}

/** The network mode as the learner gave it ("default"/"" is the session's bridge), not yet resolved. */
export function requestedNetworkMode(mode: unknown): NetworkMode {
  if (mode === undefined || mode === null || mode === "" || mode === "default") return parseNetworkMode("bridge");
  if (typeof mode !== "string" || !/^(container:)?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/.test(mode)) {
    throw badRequest("--network must be bridge, none, host, container:<name> or the name of one of your networks");
  }
  return parseNetworkMode(mode);
}

/**
 * Reads the body and `?name=` of a create call. The network mode's names are those the learner
 * typed: the caller resolves them in the session before creating.
 */
export function parseRunRequest(body: unknown, query: URLSearchParams): LearnerRun & { named: boolean } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("the request body must be a JSON object");
  const config = body as Record<string, unknown>;
  const host = (config.HostConfig ?? {}) as Record<string, unknown>;
  const networking = (config.NetworkingConfig ?? {}) as Record<string, unknown>;
  if (typeof host !== "object" || typeof networking !== "object")
    throw badRequest("HostConfig and NetworkingConfig must be objects");
  for (const key of query.keys()) {
    if (key !== "name" && !(key === "platform" && query.get(key) === "")) throw badRequest(runFlagNotSupported(`--${echo(key)}`));
  }
  parseImage(config.Image);
  refuseNonDefault(config, CONFIG_ALLOWED);
  refuseNonDefault(host, HOST_ALLOWED);
  const endpoints = (networking.EndpointsConfig ?? {}) as Record<string, unknown>;
  if (!isZero(endpoints) && Object.values(endpoints).some((e) => !isZero(e))) {
    throw badRequest(runFlagNotSupported("--ip/--network-alias/--link"));
  }
  for (const key of Object.keys(networking)) if (key !== "EndpointsConfig") throw badRequest(runFlagNotSupported(echo(key)));

  const nameParam = query.get("name");
  const named = nameParam !== null && nameParam !== "";
  const name = named ? parseLearnerName(nameParam, "container") : "";
  const hostname =
    config.Hostname === undefined || config.Hostname === null || config.Hostname === "" ? undefined : config.Hostname;
  if (hostname !== undefined && (typeof hostname !== "string" || hostname.length > 63 || !HOSTNAME.test(hostname))) {
    throw badRequest(
      `--hostname ${echo(String(hostname))} is not a valid host name (letters, digits, '-' and '.', at most 63 characters)`,
    );
  }
  const dns = stringList(host.Dns, "--dns takes IPv4 addresses, e.g. --dns 8.8.8.8", (s) => isIPv4(s));
  if (dns && dns.length > 3) throw badRequest("at most 3 --dns addresses are accepted");
  const env = stringList(config.Env, "-e takes KEY=VALUE (KEY: letters, digits and '_')", (s) => ENV.test(s)) ?? [];
  if (env.length > 64) throw badRequest("at most 64 -e variables are accepted");
  const cmd = stringList(config.Cmd, "the command must be a list of strings", (s) => s.length <= 4096 && !s.includes("\0"));
  if (cmd && cmd.length > 256) throw badRequest("the command has more than 256 words");

  return {
    name,
    named,
    attach: requestedNetworkMode(host.NetworkMode),
    ...(dns && dns.length ? { dns } : {}),
    ...(hostname !== undefined ? { hostname: hostname as string } : {}),
    env,
    ...(cmd && cmd.length ? { cmd } : {}),
    tty: flag(config.Tty, "Tty"),
    openStdin: flag(config.OpenStdin, "OpenStdin"),
    stdinOnce: flag(config.StdinOnce, "StdinOnce"),
    attachStdin: flag(config.AttachStdin, "AttachStdin"),
    attachStdout: flag(config.AttachStdout, "AttachStdout"),
    attachStderr: flag(config.AttachStderr, "AttachStderr"),
    autoRemove: flag(host.AutoRemove, "AutoRemove"),
  };
}
