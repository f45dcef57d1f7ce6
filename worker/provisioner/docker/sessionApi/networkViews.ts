// The engine's network JSON (ls rows, inspect) in the learner's words, and the built-in host and
// none networks, which have no engine object of their own.
import { DEFAULT_NETWORK } from "~/protocol/labNames";
import type { ScopeNetwork, SessionScope } from "./scope";

type Json = Record<string, unknown>;

const EPOCH = "0001-01-01T00:00:00Z";

/** A network of the session (engine JSON) or a built-in one (engine undefined). */
export function learnerNetworkView(scope: SessionScope, net: ScopeNetwork, engine: Json | undefined): Json {
  const containers: Json = {};
  for (const [id, endpoint] of Object.entries((engine?.Containers ?? {}) as Record<string, Json>)) {
    const c = scope.containers.find((o) => o.id === id);
    if (c) containers[id] = { ...endpoint, Name: c.name };
  }
  const ipam = (engine?.IPAM ?? {}) as Json;
  return {
    Name: net.name,
    Id: net.id,
    Created: engine?.Created ?? EPOCH,
    Scope: net.scope,
    Driver: net.driver,
    EnableIPv6: false,
    IPAM: {
      Driver: ipam.Driver ?? "default",
      Options: null,
      Config: ((ipam.Config ?? []) as Json[]).map((c) => ({
        ...("Subnet" in c ? { Subnet: c.Subnet } : {}),
        ...("Gateway" in c ? { Gateway: c.Gateway } : {}),
      })),
    },
    Internal: net.name === DEFAULT_NETWORK ? false : Boolean(engine?.Internal),
    Attachable: Boolean(engine?.Attachable),
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: containers,
    Options: {},
    Labels: {},
  };
}
