// The session's objects as the endpoint sees them, read from the engine by the session's label:
// the learner's containers (the platform's host, dns and helpers are not among them) and the
// session's networks, with the names the learner knows them by. References resolve here only.
import type Docker from "dockerode";
import { DEFAULT_NETWORK, HOST_NETWORK, NO_NETWORK } from "~/protocol/labNames";
import { engine } from "../errors";
import { labelOf, LEARNER_KIND, learnerNetworkName, sessionFilters } from "../names";
import { noSuchContainer, noSuchNetwork } from "./apiError";
import { builtInNetworkId } from "./builtIns";

export type ScopeContainer = { id: string; name: string; engineName: string; state: string };
export type ScopeNetwork = { id: string; name: string; engineName: string; driver: string; scope: string; builtIn?: boolean };

export type SessionScope = {
  sessionId: string;
  /** The learner's containers. */
  containers: ScopeContainer[];
  /** The platform's containers of the session (never listed; named only as a network mode: host). */
  platform: ScopeContainer[];
  /** The session's engine networks, then the built-in host and none. */
  networks: ScopeNetwork[];
};

/** Containers of these kinds are the learner's; any other kind (host, dns, helper) is the platform's. */

function engineName(names: string[] | undefined): string {
  return (names?.[0] ?? "").replace(/^\//, "");
}

export async function loadScope(docker: Docker, sessionId: string): Promise<SessionScope> {
  const filters = sessionFilters(sessionId);
  const [containers, networks] = await engine(() =>
    Promise.all([
      Promise.all(filters.map((f) => docker.listContainers({ all: true, filters: f }))).then((l) => l.flat()),
      Promise.all(filters.map((f) => docker.listNetworks({ filters: f }))).then((l) => l.flat()),
    ]),
  );
  return scopeFrom(sessionId, containers, networks);
}

type EngineContainer = { Id: string; Names?: string[]; Labels?: Record<string, string>; State?: string };
type EngineNetwork = { Id: string; Name: string; Driver?: string; Scope?: string; Labels?: Record<string, string> };

/** Pure: the scope from the engine's (already session-filtered) listings; labels are checked again. */
export function scopeFrom(sessionId: string, containers: EngineContainer[], networks: EngineNetwork[]): SessionScope {
  const mine = <T extends { Labels?: Record<string, string> }>(o: T) => labelOf(o.Labels, "session") === sessionId;
  const learner: ScopeContainer[] = [];
  const platform: ScopeContainer[] = [];
  for (const c of containers.filter(mine)) {
    const name = labelOf(c.Labels, "name");
    if (!name) continue;
    const entry = { id: c.Id, name, engineName: engineName(c.Names), state: c.State ?? "" };
    (labelOf(c.Labels, "kind") === LEARNER_KIND ? learner : platform).push(entry);
  }
  const own: ScopeNetwork[] = networks.filter(mine).map((n) => {
    const name = labelOf(n.Labels, "name") ?? learnerNetworkName(sessionId, n.Name) ?? n.Name;
    return {
      id: n.Id,
      name,
      engineName: n.Name,
      driver: name === DEFAULT_NETWORK ? "bridge" : (n.Driver ?? "bridge"),
      scope: n.Scope === "swarm" ? "swarm" : "local",
    };
  });
  const builtIn = (name: string, driver: string): ScopeNetwork => ({
    id: builtInNetworkId(sessionId, name),
    name,
    engineName: name,
    driver,
    scope: "local",
    builtIn: true,
  });
  return {
    sessionId,
    containers: learner,
    platform,
    networks: [...own, builtIn(HOST_NETWORK, "host"), builtIn(NO_NETWORK, "null")],
  };
}

function byRef<T extends { id: string; name: string }>(items: T[], ref: string): T | undefined {
  const exact = items.find((o) => o.id === ref) ?? items.find((o) => o.name === ref);
  if (exact) return exact;
  if (!/^[0-9a-f]{1,63}$/.test(ref)) return undefined;
  const matches = items.filter((o) => o.id.startsWith(ref));
  return matches.length === 1 ? matches[0] : undefined;
}

/** A learner container by name, id or unique id prefix; anything else is Docker's "No such container". */
export function resolveContainer(scope: SessionScope, ref: string): ScopeContainer {
  const found = byRef(scope.containers, ref);
  if (!found) throw noSuchContainer(ref);
  return found;
}

export function resolveNetwork(scope: SessionScope, ref: string): ScopeNetwork {
  const found = byRef(scope.networks, ref);
  if (!found) throw noSuchNetwork(ref);
  return found;
}

/** An engine network name or id in the learner's words, or undefined when it is not the session's. */
export function learnerNetwork(scope: SessionScope, engineRef: string): ScopeNetwork | undefined {
  return scope.networks.find((n) => !n.builtIn && (n.engineName === engineRef || n.id === engineRef));
}

/** An engine container reference (engine name or id) in the learner's words: busybox1, or host for the session host. */
export function learnerContainerName(scope: SessionScope, engineRef: string): string | undefined {
  const ref = engineRef.replace(/^\//, "");
  return [...scope.containers, ...scope.platform].find((o) => o.id === ref || o.engineName === ref)?.name;
}
