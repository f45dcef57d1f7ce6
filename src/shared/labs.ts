// The lab catalog, shared by the web (what to list and start) and the worker (what to provision).
// Labs become data files with steps and checks in a later issue; the shape here is what the
// provisioner needs: networks and containers, written the way `docker run` spells them.
import { z } from "zod";

const RESERVED = new Set(["host", "bridge", "none", "dns", "default"]);

export const containerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "a container name is 1-31 lowercase letters, digits or '-', starting with a letter");

/** A name a learner gives a container or network (not one of the platform's own). */
export const learnerNameSchema = containerNameSchema.refine((name) => !RESERVED.has(name), {
  message: `names ${[...RESERVED].join(", ")} are reserved`,
});

/** `--network` as a learner writes it: bridge, none, host, container:<name> or a network of theirs. */
export const networkModeSchema = z
  .string()
  .regex(/^(bridge|none|host|container:[a-z][a-z0-9-]{0,30}|[a-z][a-z0-9-]{0,30})$/, {
    message: "network must be bridge, none, host, container:<name> or the name of one of your networks",
  });

export const labNetworkSchema = z.object({
  name: learnerNameSchema,
  driver: z.enum(["bridge", "overlay"]).default("bridge"),
});

export const labContainerSchema = z.object({
  name: learnerNameSchema,
  image: z.literal("busybox:latest").default("busybox:latest"),
  network: networkModeSchema.default("bridge"),
  /** `--dns`: resolvers for this container (IPv4 addresses). */
  dns: z.array(z.ipv4("dns servers must be IPv4 addresses")).max(3).optional(),
});

export const labSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  summary: z.string().min(1),
  estimatedMinutes: z.number().int().positive(),
  networks: z.array(labNetworkSchema).default([]),
  containers: z.array(labContainerSchema).min(1),
  /** Start the lab DNS service (a second resolver, for `--dns`). */
  labDns: z.boolean().default(false),
  /** The terminal the lab page opens first ("host" is the session host). */
  defaultTerminal: containerNameSchema,
});

export type Lab = z.infer<typeof labSchema>;
export type LabNetwork = z.infer<typeof labNetworkSchema>;
export type LabContainer = z.infer<typeof labContainerSchema>;

export const labs: readonly Lab[] = [
  {
    slug: "bridge-basics",
    title: "Bridge basics",
    summary:
      "Start a busybox container on its own bridge network and look at its interfaces with ifconfig: an eth0 with a private address, and lo.",
    estimatedMinutes: 10,
    containers: [{ name: "busybox1", network: "bridge" }],
    defaultTerminal: "busybox1",
  },
  {
    slug: "network-modes",
    title: "A tour of the network modes",
    summary:
      "Two bridge containers, a closed one (none), one sharing the host's network, one joined to busybox1 (container:), and your own network mynet with name resolution. Compare them with ifconfig, ping and nslookup.",
    estimatedMinutes: 30,
    networks: [{ name: "mynet", driver: "bridge" }],
    containers: [
      { name: "busybox1", network: "bridge" },
      { name: "busybox2", network: "bridge" },
      { name: "closed", network: "none" },
      { name: "hosted", network: "host" },
      { name: "joined", network: "container:busybox1" },
      { name: "web", network: "mynet" },
      { name: "client", network: "mynet" },
    ],
    labDns: true,
    defaultTerminal: "host",
  },
].map((lab) => labSchema.parse(lab));

export function findLab(slug: string): Lab | undefined {
  return labs.find((lab) => lab.slug === slug);
}
