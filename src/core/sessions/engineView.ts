// LabSession.engineView: what the learner's engine panels and terminal tabs show (`docker network
// ls` for the session, `docker info`'s network drivers, the session's containers), written when
// the session becomes READY and rewritten by the worker when the session's engine objects change
// (worker/tasks/refreshEngineView.ts). Parsed on read: a row that does not match is an error
// naming the session, never a silent cast.
import { z } from "zod";

/** One row of the session's `docker network ls`. */
export const networkViewEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.enum(["local", "swarm"]),
});
export type NetworkViewEntry = z.infer<typeof networkViewEntrySchema>;

/**
 * One learner-visible container of the session (lab-provisioned or learner-made; never the session
 * host or the lab DNS), with its network mode in the learner's words: bridge, none, host,
 * container:busybox1, mynet.
 */
export const containerViewEntrySchema = z.object({ name: z.string(), networkMode: z.string(), running: z.boolean() });
export type ContainerViewEntry = z.infer<typeof containerViewEntrySchema>;

/** One interface of a network namespace, as `ip -o link` / `ip -o -4 addr` show it there. */
export const interfaceViewSchema = z.object({
  name: z.string(),
  /** Absent for interfaces with no Ethernet address (lo). */
  mac: z.string().optional(),
  /** IPv4 addresses with their prefix ("10.0.0.2/16"). */
  ipv4: z.array(z.string()),
  /** The session network this interface is the leg of (the learner's name), when it is one. */
  network: z.string().optional(),
  up: z.boolean(),
});
export type InterfaceView = z.infer<typeof interfaceViewSchema>;

/**
 * One network namespace of the session: the session host's ("host", with docker0, eth0 and the
 * host-mode containers), the lab DNS's ("dns"), or a learner container's own (bridge, a user
 * network, or none: isolated, lo only), shared by the `container:` containers that joined it.
 */
export const namespaceViewSchema = z.object({
  /** Whose namespace: "host", "dns", or the container that made it. */
  owner: z.string(),
  kind: z.enum(["host", "dns", "container", "none"]),
  /** The learner-visible containers in it: its owner (a learner's) and those that joined it (host mode, container:). */
  members: z.array(z.string()),
  /** Empty while its owner is not running. */
  interfaces: z.array(interfaceViewSchema),
});
export type NamespaceView = z.infer<typeof namespaceViewSchema>;

/** A session network with its addressing (the built-in host and none have none). */
export const topologyNetworkSchema = z.object({
  name: z.string(),
  driver: z.string(),
  subnet: z.string().optional(),
  gateway: z.string().optional(),
});
export type TopologyNetwork = z.infer<typeof topologyNetworkSchema>;

/** Where one resolver address of a container's sends its questions: a namespace owner ("host", "dns", a container), or null (nowhere). */
export const dnsServerViewSchema = z.object({ address: z.string(), target: z.string().nullable() });
/** A container's resolvers (its resolv.conf); `embedded`: Docker's 127.0.0.11 on a user network, which forwards to the session host. */
export const dnsViewSchema = z.object({ container: z.string(), embedded: z.boolean(), servers: z.array(dnsServerViewSchema) });
export type DnsView = z.infer<typeof dnsViewSchema>;

/** What the topology panel draws (and its table reads). */
export const topologyViewSchema = z.object({
  namespaces: z.array(namespaceViewSchema),
  networks: z.array(topologyNetworkSchema),
  dns: z.array(dnsViewSchema),
});
export type TopologyView = z.infer<typeof topologyViewSchema>;

export const engineViewSchema = z.object({
  networks: z.array(networkViewEntrySchema),
  drivers: z.array(z.string()),
  /** In creation order. Absent in rows written before containers were viewed. */
  containers: z.array(containerViewEntrySchema).optional(),
  /** Interfaces, namespaces, addressing and DNS. Absent in rows written before the topology was viewed. */
  topology: topologyViewSchema.optional(),
});
export type EngineView = z.infer<typeof engineViewSchema>;

/** The stored view, or null before the session was READY. */
export function engineViewOf(row: { id: string; engineView: unknown }): EngineView | null {
  if (row.engineView === null || row.engineView === undefined) return null;
  const parsed = engineViewSchema.safeParse(row.engineView);
  if (!parsed.success) throw new Error(`session ${row.id} has a malformed engineView: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Whether two views show the same thing (both parsed by the schema, so their keys come in one order). */
export function sameEngineView(a: EngineView | null, b: EngineView | null): boolean {
  const canonical = (v: EngineView | null) => (v === null ? "null" : JSON.stringify(engineViewSchema.parse(v)));
  return canonical(a) === canonical(b);
}
