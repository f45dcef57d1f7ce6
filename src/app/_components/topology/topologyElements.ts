// The session's topology as graph elements (pure, beside the panel): the session host as a compound
// node holding docker0, eth0 and the host-mode containers; a namespace shared with `container:` as
// one compound holding its members; a `none` container alone with its lo; networks as nodes with
// their driver and subnet; an edge from each interface to its network (IPv4 and MAC); dashed DNS
// edges from each namespace to where its questions go; an impaired interface marked with its badge.
import type { InterfaceView, NamespaceView, TopologyView } from "~/core/sessions/engineView";
import { SESSION_HOST } from "~/protocol/labNames";
import type { LinkSpec, LinkView } from "~/protocol/linkSpec";

/** An impaired interface as the page gets it (SessionView.links). */
export type TopologyLink = LinkView;

export type TopologyNodeData = {
  id: string;
  label: string;
  parent?: string;
  /** What a click does: open a container's terminal, or offer an interface's actions. */
  kind: "namespace" | "container" | "interface" | "network";
  /** The container whose terminal a click opens (a namespace with one member, a member). */
  container?: string;
  /** An interface's namespace owner and name (what a capture or link setting names). */
  owner?: string;
  iface?: string;
  impaired?: boolean;
};
export type TopologyEdgeData = { id: string; source: string; target: string; label: string; kind: "leg" | "dns" };
export type TopologyElements = { nodes: TopologyNodeData[]; edges: TopologyEdgeData[] };

/** "200 ms ±20, 5% loss, 1 Mbit/s": an impairment in a badge's words. */
export function linkBadge(spec: LinkSpec): string {
  const parts: string[] = [];
  if (spec.delayMs > 0) parts.push(`${spec.delayMs} ms${spec.jitterMs > 0 ? ` ±${spec.jitterMs}` : ""}`);
  if (spec.lossPct > 0) parts.push(`${spec.lossPct}% loss`);
  if (spec.rateKbit !== null)
    parts.push(
      spec.rateKbit >= 1000 && spec.rateKbit % 1000 === 0 ? `${spec.rateKbit / 1000} Mbit/s` : `${spec.rateKbit} kbit/s`,
    );
  return parts.join(", ");
}

/** The impairment set on a namespace's interface (a link names a member container or the owner). */
export function linkOn(links: readonly TopologyLink[], ns: NamespaceView, iface: string): TopologyLink | undefined {
  return links.find((l) => l.iface === iface && (l.container === ns.owner || ns.members.includes(l.container)));
}

/** What a namespace is called: the session host, the lab DNS, its one container, or the shared namespace of its owner. */
export function namespaceLabel(ns: NamespaceView): string {
  if (ns.kind === "host") return "session host (host)";
  if (ns.kind === "dns") return "lab DNS (dns)";
  if (ns.members.length > 1) return `shared namespace of ${ns.owner}`;
  return ns.kind === "none" ? `${ns.owner} (none)` : ns.owner;
}

/** The container a namespace's own click opens: the host, or its one member. */
export function namespaceTerminal(ns: NamespaceView): string | undefined {
  if (ns.kind === "host") return SESSION_HOST;
  if (ns.kind === "dns") return undefined;
  return ns.members.length === 1 ? ns.members[0] : undefined;
}

/** Interfaces worth drawing: every one but lo, except in a `none` namespace (its lo is all it has). */
export function drawnInterfaces(ns: NamespaceView): InterfaceView[] {
  return ns.kind === "none" ? ns.interfaces : ns.interfaces.filter((i) => i.name !== "lo");
}

export function topologyElements(topology: TopologyView, links: readonly TopologyLink[] = []): TopologyElements {
  const nodes: TopologyNodeData[] = [];
  const edges: TopologyEdgeData[] = [];
  const nsId = (owner: string) => `ns:${owner}`;
  for (const net of topology.networks) {
    const addressing = [net.driver, net.subnet].filter(Boolean).join(" ");
    nodes.push({ id: `net:${net.name}`, label: `${net.name}\n${addressing}`, kind: "network" });
  }
  for (const ns of topology.namespaces) {
    const parent = nsId(ns.owner);
    const terminal = namespaceTerminal(ns);
    nodes.push({ id: parent, label: namespaceLabel(ns), kind: "namespace", ...(terminal ? { container: terminal } : {}) });
    // Members drawn apart when the namespace is not simply theirs: the host's host-mode containers, a shared namespace's.
    if (ns.kind === "host" || ns.members.length > 1) {
      for (const member of ns.members)
        nodes.push({ id: `c:${member}`, label: member, parent, kind: "container", container: member });
    }
    for (const i of drawnInterfaces(ns)) {
      const link = linkOn(links, ns, i.name);
      const id = `if:${ns.owner}:${i.name}`;
      nodes.push({
        id,
        label: link ? `${i.name} ⚠ ${linkBadge(link.spec)}` : i.name,
        parent,
        kind: "interface",
        owner: ns.owner,
        iface: i.name,
        ...(link ? { impaired: true } : {}),
      });
      if (i.network && topology.networks.some((n) => n.name === i.network)) {
        edges.push({
          id: `leg:${ns.owner}:${i.name}`,
          source: id,
          target: `net:${i.network}`,
          label: [i.ipv4.join(" "), i.mac].filter(Boolean).join("\n"),
          kind: "leg",
        });
      }
    }
  }
  const owners = new Set(topology.namespaces.map((ns) => ns.owner));
  const ownerOf = new Map(topology.namespaces.flatMap((ns) => ns.members.map((m) => [m, ns.owner] as const)));
  const seen = new Set<string>();
  for (const d of topology.dns) {
    const from = ownerOf.get(d.container);
    if (from === undefined) continue;
    for (const server of d.servers) {
      if (server.target === null || server.target === from || !owners.has(server.target)) continue;
      const id = `dns:${from}:${server.target}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ id, source: nsId(from), target: nsId(server.target), label: "DNS", kind: "dns" });
    }
  }
  return { nodes, edges };
}
