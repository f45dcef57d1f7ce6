// A session's desired link impairments (pure): its own rows, plus its class's impairment on every
// learner namespace attached to the session's default bridge (the class's wins on the same
// interface: the instructor's setting is not the learner's to undo). An impairment belongs to a
// network namespace, named by its owner ("host", "dns", or the learner container that made it):
// a `container:` or host-mode container's settings land in the namespace it joined.
import { DEFAULT_NETWORK, LAB_DNS, parseNetworkMode, SESSION_HOST } from "~/protocol/labNames";
import type { LinkSpec, LinkView } from "~/protocol/linkSpec";

/**
 * What links read of a session's engine view (src/core/sessions/engineView.ts): its containers and,
 * when the view has it, its topology (namespaces and their interfaces).
 */
export type LinkEngineView = {
  containers?: { name: string; networkMode: string; running: boolean }[];
  topology?: { namespaces: { owner: string; members: string[]; interfaces: { name: string; network?: string }[] }[] };
};

export type LinkRow = { container: string; iface: string; spec: LinkSpec };

/** The interface a bridged container has on the default bridge when the view has no topology (Docker's first leg). */
const FIRST_LEG = "eth0";

/**
 * The namespace owner a container's links land in, or undefined when the session has no such
 * container. `platform` lists the platform's containers the session runs ("host", and "dns" with a lab DNS).
 */
export function namespaceOwnerOf(
  view: LinkEngineView | null,
  container: string,
  platform: readonly string[],
): string | undefined {
  if (platform.includes(container)) return container;
  const topology = view?.topology;
  if (topology) return topology.namespaces.find((ns) => ns.owner === container || ns.members.includes(container))?.owner;
  const containers = view?.containers ?? [];
  let current = container;
  for (let hops = 0; hops <= containers.length; hops++) {
    if (platform.includes(current)) return current;
    const c = containers.find((x) => x.name === current);
    if (!c) return undefined;
    const mode = parseNetworkMode(c.networkMode);
    if (mode.kind !== "container") return c.name;
    current = mode.target;
  }
  return undefined;
}

/** The interfaces of a namespace as the view shows them, or undefined when the view does not say (no topology, or not running). */
export function interfacesOf(view: LinkEngineView | null, owner: string): string[] | undefined {
  const ns = view?.topology?.namespaces.find((n) => n.owner === owner);
  return ns && ns.interfaces.length > 0 ? ns.interfaces.map((i) => i.name) : undefined;
}

/** The learner namespaces on the session's default bridge, each with its interface there. */
export function bridgedInterfaces(view: LinkEngineView | null): { container: string; iface: string }[] {
  const topology = view?.topology;
  if (topology)
    return topology.namespaces.flatMap((ns) =>
      ns.owner === SESSION_HOST || ns.owner === LAB_DNS
        ? []
        : ns.interfaces.filter((i) => i.network === DEFAULT_NETWORK).map((i) => ({ container: ns.owner, iface: i.name })),
    );
  return (view?.containers ?? [])
    .filter((c) => c.networkMode === DEFAULT_NETWORK)
    .map((c) => ({ container: c.name, iface: FIRST_LEG }));
}

const keyOf = (l: { container: string; iface: string }) => `${l.container}\u0000${l.iface}`;

/** The session's impaired interfaces: its rows, then its class's impairment on the default bridge (which wins). */
export function desiredLinks(rows: readonly LinkRow[], classSpec: LinkSpec | null, view: LinkEngineView | null): LinkView[] {
  const out = new Map<string, LinkView>();
  for (const row of rows) out.set(keyOf(row), { container: row.container, iface: row.iface, spec: row.spec, source: "session" });
  if (classSpec)
    for (const place of bridgedInterfaces(view)) out.set(keyOf(place), { ...place, spec: classSpec, source: "class" });
  return [...out.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}
