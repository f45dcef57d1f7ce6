// The session's topology from what an engine adapter read (pure; the Docker adapter and the fake
// both build their view here): which namespace each container is in (`container:` and host mode
// join another's; `none` stays alone), the interfaces of each, and where each container's DNS
// questions go.
import { parseNetworkMode, DEFAULT_NETWORK, LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import type { DnsView, InterfaceView, NamespaceView, TopologyNetwork, TopologyView } from "./engineView";

/** Docker's embedded resolver on user networks (it forwards to the session host there). */
export const EMBEDDED_DNS = "127.0.0.11";

/** A container as an adapter read it: the platform's ("host", "dns") or a learner's, in creation order. */
export type TopologyContainer = {
  name: string;
  role: "host" | "dns" | "learner";
  /** In the learner's words: bridge, none, host, container:<name>, mynet. */
  networkMode: string;
  running: boolean;
  /** Its resolv.conf's nameservers; undefined when it has no file of ours (Docker's embedded DNS). */
  resolvers?: string[];
};

/** The namespace a container is in: named by its owner ("host", "dns", or the container that made it). */
export function namespaceOwner(containers: readonly TopologyContainer[], name: string): string {
  const byName = new Map(containers.map((c) => [c.name, c]));
  let current = name;
  for (let hops = 0; hops <= containers.length; hops++) {
    const c = byName.get(current);
    if (!c) return current; // joined a container that is gone: its name is all that is left
    if (c.role === "host") return SESSION_HOST;
    if (c.role === "dns") return LAB_DNS;
    const mode = parseNetworkMode(c.networkMode);
    if (mode.kind !== "container") return c.name;
    current = mode.target;
  }
  return current; // a loop the engine would not make
}

/** The address part of "10.0.0.2/16". */
const addressOf = (cidr: string) => cidr.split("/")[0]!;

export function buildTopology(input: {
  containers: readonly TopologyContainer[];
  /** The interfaces read in each running owner's namespace. */
  interfaces: ReadonlyMap<string, InterfaceView[]>;
  networks: readonly TopologyNetwork[];
}): TopologyView {
  const { containers, interfaces } = input;
  const owners: string[] = [];
  const members = new Map<string, string[]>();
  const ownerOf = new Map<string, string>();
  for (const c of containers) {
    const owner = namespaceOwner(containers, c.name);
    ownerOf.set(c.name, owner);
    if (!members.has(owner)) {
      members.set(owner, []);
      owners.push(owner);
    }
    if (c.role === "learner") members.get(owner)!.push(c.name);
  }
  // The session host first, the lab DNS next, then learners' namespaces in creation order.
  const rank = (owner: string) => (owner === SESSION_HOST ? 0 : owner === LAB_DNS ? 1 : 2);
  owners.sort((a, b) => rank(a) - rank(b));
  const byName = new Map(containers.map((c) => [c.name, c]));
  const namespaces: NamespaceView[] = owners.map((owner) => {
    const c = byName.get(owner);
    const kind: NamespaceView["kind"] =
      owner === SESSION_HOST ? "host" : owner === LAB_DNS ? "dns" : c?.networkMode === "none" ? "none" : "container";
    return { owner, kind, members: members.get(owner) ?? [], interfaces: c?.running ? (interfaces.get(owner) ?? []) : [] };
  });

  const addressOwner = new Map<string, string>();
  for (const ns of namespaces)
    for (const i of ns.interfaces)
      for (const cidr of i.ipv4) if (!addressOf(cidr).startsWith("127.")) addressOwner.set(addressOf(cidr), ns.owner);
  const onDefaultBridge = (owner: string) =>
    namespaces.find((ns) => ns.owner === owner)?.interfaces.some((i) => i.network === DEFAULT_NETWORK) ?? false;

  const dns: DnsView[] = containers
    .filter((c) => c.role === "learner")
    .map((c) => {
      const owner = ownerOf.get(c.name)!;
      const embedded = c.resolvers === undefined && c.networkMode !== "none";
      const addresses = c.resolvers ?? (embedded ? [EMBEDDED_DNS] : []);
      const target = (address: string): string | null => {
        if (address === EMBEDDED_DNS) return SESSION_HOST; // the engine's resolver forwards to the session host only
        if (address.startsWith("127.")) return owner; // its own namespace (host mode: the session host's labdns)
        const found = addressOwner.get(address);
        if (found !== undefined) return found;
        // Any other address leaves by the default route, .1: the session host answers DNS sent to any address there.
        return onDefaultBridge(owner) ? SESSION_HOST : null;
      };
      return { container: c.name, embedded, servers: addresses.map((address) => ({ address, target: target(address) })) };
    });
  return { namespaces, networks: [...input.networks], dns };
}
