// `docker info` for a session: the engine's version and drivers, with everything engine-wide made
// the session's own (counts, name, id, swarm state) and nothing of the machine (no host name, id,
// node address, proxies, labels or mirrors).
import { SESSION_HOST } from "~/protocol/labNames";
import { sessionEngineId } from "./builtIns";
import type { SessionScope } from "./scope";

type Json = Record<string, unknown>;

export type InfoLimits = { ncpu: number; memoryBytes: number };

const KEPT = [
  "Driver",
  "MemoryLimit",
  "SwapLimit",
  "KernelMemory",
  "KernelMemoryTCP",
  "CpuCfsPeriod",
  "CpuCfsQuota",
  "CPUShares",
  "CPUSet",
  "PidsLimit",
  "IPv4Forwarding",
  "BridgeNfIptables",
  "BridgeNfIp6tables",
  "OomKillDisable",
  "SystemTime",
  "LoggingDriver",
  "CgroupDriver",
  "CgroupVersion",
  "KernelVersion",
  "OperatingSystem",
  "OSVersion",
  "OSType",
  "Architecture",
  "IndexServerAddress",
  "ServerVersion",
  "DefaultRuntime",
  "InitBinary",
  "ContainerdCommit",
  "RuncCommit",
  "InitCommit",
  "SecurityOptions",
];

export function sessionInfo(engineInfo: Json, scope: SessionScope, limits: InfoLimits): Json {
  const kept = Object.fromEntries(KEPT.filter((k) => k in engineInfo).map((k) => [k, engineInfo[k]]));
  const states = scope.containers.map((c) => c.state);
  const running = states.filter((s) => s === "running" || s === "restarting").length;
  const paused = states.filter((s) => s === "paused").length;
  const plugins = (engineInfo.Plugins ?? {}) as Json;
  return {
    ID: sessionEngineId(scope.sessionId),
    Containers: states.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: states.length - running - paused,
    Images: 1,
    ...kept,
    DriverStatus: [],
    Plugins: { Volume: ["local"], Network: plugins.Network ?? [], Authorization: null, Log: ["json-file"] },
    Debug: false,
    NFd: 0,
    NGoroutines: 0,
    NEventsListener: 0,
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: [],
      IndexConfigs: {},
      Mirrors: [],
    },
    NCPU: limits.ncpu,
    MemTotal: limits.memoryBytes,
    GenericResources: null,
    DockerRootDir: "/var/lib/docker",
    HttpProxy: "",
    HttpsProxy: "",
    NoProxy: "",
    Name: SESSION_HOST,
    Labels: [],
    ExperimentalBuild: false,
    Runtimes: { runc: { path: "runc" } },
    Swarm: { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: "",
    Warnings: null,
  };
}
