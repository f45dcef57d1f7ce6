"use client";

import type { TopologyView } from "~/core/sessions/engineView";
import { drawnInterfaces, linkBadge, linkOn, namespaceLabel, type TopologyLink } from "./topologyElements";

export type InterfaceChoice = { owner: string; iface: string };

/**
 * The topology's facts as tables (kept live with the graph): namespaces with their containers and
 * interfaces, networks, and where DNS goes. A container's button opens its terminal; an
 * interface's offers its capture and link settings.
 */
export function TopologyTable({
  topology,
  links,
  terminals,
  selected,
  onOpenTerminal,
  onInterface,
}: {
  topology: TopologyView;
  links: readonly TopologyLink[];
  /** The containers with a terminal on this page (the session's terminal tabs). */
  terminals: readonly string[];
  selected: InterfaceChoice | null;
  onOpenTerminal: (container: string) => void;
  onInterface: (choice: InterfaceChoice) => void;
}) {
  const containerButton = (name: string) =>
    terminals.includes(name) ? (
      <button
        key={name}
        type="button"
        className="link-button"
        data-testid={`topology-open-${name}`}
        aria-label={`Open ${name}'s terminal`}
        onClick={() => onOpenTerminal(name)}
      >
        {name}
      </button>
    ) : (
      <span key={name}>{name}</span>
    );
  return (
    <div className="topology-tables" data-testid="topology-table">
      <table>
        <caption>Namespaces, their containers and interfaces</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Containers</th>
            <th scope="col">Interface</th>
            <th scope="col">IPv4</th>
            <th scope="col">MAC</th>
            <th scope="col">Network</th>
            <th scope="col">Link</th>
          </tr>
        </thead>
        <tbody>
          {topology.namespaces.flatMap((ns) => {
            const names = ns.kind === "host" ? ["host", ...ns.members] : ns.members;
            const containers = <span className="topology-members">{names.map(containerButton)}</span>;
            const interfaces = drawnInterfaces(ns);
            if (interfaces.length === 0) {
              return [
                <tr key={ns.owner} data-namespace={ns.owner}>
                  <th scope="row">{namespaceLabel(ns)}</th>
                  <td>{containers}</td>
                  <td colSpan={5}>no interfaces (not running)</td>
                </tr>,
              ];
            }
            return interfaces.map((i, index) => {
              const link = linkOn(links, ns, i.name);
              const isSelected = selected?.owner === ns.owner && selected.iface === i.name;
              return (
                <tr key={`${ns.owner}/${i.name}`} data-namespace={ns.owner}>
                  <th scope="row">{namespaceLabel(ns)}</th>
                  <td>{index === 0 ? containers : null}</td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      data-testid={`topology-iface-${ns.owner}-${i.name}`}
                      aria-pressed={isSelected}
                      aria-label={`${i.name} of ${ns.owner}: capture or link settings`}
                      onClick={() => onInterface({ owner: ns.owner, iface: i.name })}
                    >
                      {i.name}
                    </button>
                    {!i.up && " (down)"}
                  </td>
                  <td>{i.ipv4.join(", ") || "—"}</td>
                  <td>{i.mac ?? "—"}</td>
                  <td>{i.network ?? "—"}</td>
                  <td>{link ? <span className="impairment-badge">{linkBadge(link.spec)}</span> : "—"}</td>
                </tr>
              );
            });
          })}
        </tbody>
      </table>
      <table>
        <caption>Networks</caption>
        <thead>
          <tr>
            <th scope="col">Network</th>
            <th scope="col">Driver</th>
            <th scope="col">Subnet</th>
            <th scope="col">Gateway</th>
          </tr>
        </thead>
        <tbody>
          {topology.networks.map((n) => (
            <tr key={n.name}>
              <th scope="row">{n.name}</th>
              <td>{n.driver}</td>
              <td>{n.subnet ?? "—"}</td>
              <td>{n.gateway ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Where DNS questions go</caption>
        <thead>
          <tr>
            <th scope="col">Container</th>
            <th scope="col">Resolver</th>
            <th scope="col">Answered by</th>
          </tr>
        </thead>
        <tbody>
          {topology.dns.map((d) => (
            <tr key={d.container}>
              <th scope="row">{d.container}</th>
              <td>
                {d.servers.length === 0
                  ? "none"
                  : d.servers.map((s) => s.address).join(", ") + (d.embedded ? " (Docker's embedded DNS)" : "")}
              </td>
              <td>{d.servers.length === 0 ? "—" : d.servers.map((s) => answeredBy(s.target)).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function answeredBy(target: string | null): string {
  if (target === null) return "no one (no route)";
  if (target === "host") return "the session host";
  if (target === "dns") return "the lab DNS";
  return target;
}
