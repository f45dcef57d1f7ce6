// The engine's container JSON (ps rows, inspect) in the learner's words: learner names, network
// modes and network names of the session; host paths, labels and platform details removed.
import { DEFAULT_NETWORK, NO_NETWORK, sharedContainer, sharingMode } from "~/protocol/labNames";
import { ONLY_IMAGE } from "./messages";
import { learnerContainerName, learnerNetwork, type SessionScope } from "./scope";

type Json = Record<string, unknown>;

/** An engine network mode (network name or id, none, container:<id|name>) as the learner says it. */
export function learnerNetworkMode(scope: SessionScope, mode: string): string {
  if (mode === NO_NETWORK || mode === "") return mode;
  const target = sharedContainer(mode);
  if (target !== undefined) return sharingMode(learnerContainerName(scope, target) ?? "unknown");
  return learnerNetwork(scope, mode)?.name ?? NO_NETWORK;
}

/** `Networks` keyed by learner network names; networks that are not the session's are dropped. */
function learnerNetworks(scope: SessionScope, networks: unknown): Json {
  const out: Json = {};
  for (const [engineName, endpoint] of Object.entries((networks ?? {}) as Json)) {
    const net = learnerNetwork(scope, engineName);
    if (net) out[net.name] = endpoint;
  }
  return out;
}

function pick(source: unknown, keys: string[]): Json {
  const from = (source ?? {}) as Json;
  return Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]]));
}

/** One row of GET /containers/json. */
export function learnerContainerSummary(scope: SessionScope, row: Json, name: string): Json {
  const host = (row.HostConfig ?? {}) as Json;
  const settings = (row.NetworkSettings ?? {}) as Json;
  return {
    ...pick(row, ["Id", "ImageID", "Command", "Created", "Ports", "State", "Status", "SizeRw", "SizeRootFs"]),
    Image: ONLY_IMAGE, // the name the learner used, whatever the lab's image is called on the engine
    Names: [`/${name}`],
    Labels: {},
    HostConfig: { NetworkMode: learnerNetworkMode(scope, String(host.NetworkMode ?? "")) },
    NetworkSettings: { Networks: learnerNetworks(scope, settings.Networks) },
    Mounts: [],
  };
}

const CONFIG_KEYS = ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin"];
const CONFIG_MORE = ["StdinOnce", "Env", "Cmd", "Image", "WorkingDir", "Entrypoint"];
const HOST_KEYS = ["Dns", "AutoRemove", "RestartPolicy", "Privileged", "CapAdd", "CapDrop", "ReadonlyRootfs", "ConsoleSize"];
const ENDPOINT_TOP = ["EndpointID", "Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "IPAddress", "IPPrefixLen"];

/** GET /containers/{id}/json. */
export function learnerContainerInspect(scope: SessionScope, info: Json, name: string): Json {
  const host = (info.HostConfig ?? {}) as Json;
  const settings = (info.NetworkSettings ?? {}) as Json;
  const networks = learnerNetworks(scope, settings.Networks);
  // Like Docker's default bridge, a container on it has its address at the top level too.
  const bridge = (networks[DEFAULT_NETWORK] ?? {}) as Json;
  const top = Object.fromEntries(
    [...ENDPOINT_TOP, "IPv6Gateway", "MacAddress"].map((k) => [k, bridge[k] ?? (k.endsWith("Len") ? 0 : "")]),
  );
  return {
    ...pick(info, ["Id", "Created", "Path", "Args", "Image", "RestartCount", "Platform"]),
    // The engine's pid is the host's: 0, as docker shows for a stopped container.
    ...(info.State ? { State: { ...(info.State as Json), Pid: 0 } } : {}),
    Name: `/${name}`,
    ExecIDs: null,
    HostConfig: { ...pick(host, HOST_KEYS), NetworkMode: learnerNetworkMode(scope, String(host.NetworkMode ?? "")) },
    Mounts: [],
    Config: { ...pick(info.Config, [...CONFIG_KEYS, ...CONFIG_MORE]), Image: ONLY_IMAGE, Labels: {} },
    NetworkSettings: {
      Bridge: "",
      SandboxID: settings.SandboxID ?? "",
      HairpinMode: false,
      Ports: settings.Ports ?? {},
      ...top,
      Networks: networks,
    },
  };
}
