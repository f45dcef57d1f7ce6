// The names of a session's containers and networks, and how a learner's `--network` is read:
// the one place that knows which names the platform keeps for itself. Browser-safe (zod only).
import { z } from "zod";

/** The session host: every session runs it; `--network host` shares its namespace. */
export const SESSION_HOST = "host";
/** The lab DNS service, started when a lab sets labDns. */
export const LAB_DNS = "dns";
/** The session's default network, as `docker network ls` names it. */
export const DEFAULT_NETWORK = "bridge";
/** `--network none`. */
export const NO_NETWORK = "none";
/** `--network host`: the session host's namespace. */
export const HOST_NETWORK = "host";

/** Names a learner cannot give a container or network of theirs. */
export const RESERVED_NAMES: readonly string[] = [SESSION_HOST, DEFAULT_NETWORK, NO_NETWORK, LAB_DNS, "default"];

const NAME = "[a-z][a-z0-9-]{0,30}";
const CONTAINER_PREFIX = "container:";

export const containerNameSchema = z
  .string()
  .regex(new RegExp(`^${NAME}$`), "a container name is 1-31 lowercase letters, digits or '-', starting with a letter");

const IFACE_WORDS = "an interface name is 1-15 letters, digits, '_', '.' or '-' (e.g. eth0), never . or ..";
/** An interface name as the kernel allows it (what `ip link` shows), never a path: the one rule. */
export const ifaceNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,15}$/, IFACE_WORDS)
  .refine((name) => name !== "." && name !== "..", IFACE_WORDS);

/** A name a learner gives a container or network (not one of the platform's own). */
export const learnerNameSchema = containerNameSchema.refine((name) => !RESERVED_NAMES.includes(name), {
  message: `names ${RESERVED_NAMES.join(", ")} are reserved`,
});

/** `--network` as a learner writes it: bridge, none, host, container:<name> or a network of theirs. */
export const networkModeSchema = z
  .string()
  .regex(new RegExp(`^(${DEFAULT_NETWORK}|${NO_NETWORK}|${HOST_NETWORK}|${CONTAINER_PREFIX}${NAME}|${NAME})$`), {
    message: "network must be bridge, none, host, container:<name> or the name of one of your networks",
  });

/** A network mode read: no network, another container's namespace, or a network of the session. */
export type NetworkMode = { kind: "none" } | { kind: "container"; target: string } | { kind: "network"; network: string };

/** Reads a network mode; `host` is the session host's namespace. */
export function parseNetworkMode(mode: string): NetworkMode {
  if (mode === NO_NETWORK) return { kind: "none" };
  if (mode === HOST_NETWORK) return { kind: "container", target: SESSION_HOST };
  const target = sharedContainer(mode);
  if (target !== undefined) return { kind: "container", target };
  return { kind: "network", network: mode };
}

/** The container named by `container:<name>`, or undefined for any other mode. */
export function sharedContainer(mode: string): string | undefined {
  return mode.startsWith(CONTAINER_PREFIX) ? mode.slice(CONTAINER_PREFIX.length) : undefined;
}

/** `container:<name>`: shares that container's namespace (an engine name, or a learner's). */
export function containerMode(name: string): string {
  return `${CONTAINER_PREFIX}${name}`;
}

/** `container:<name>`, or `host` for the session host, in the learner's words. */
export function sharingMode(target: string): string {
  return target === SESSION_HOST ? HOST_NETWORK : containerMode(target);
}

/**
 * The terminals a session offers: the session host first, then its containers as the engine last
 * reported them (the lab's and the learner's own, in creation order) or, before any report, the lab's.
 */
export function sessionTerminals(
  lab: { containers: readonly { name: string }[] } | null | undefined,
  engine?: { containers?: readonly { name: string }[] } | null,
): string[] {
  const containers = engine?.containers ?? lab?.containers ?? [];
  return [SESSION_HOST, ...containers.map((c) => c.name)];
}

/** Containers a session of this lab runs besides the lab's own: the host and, with labDns, the DNS. */
export function platformContainers(lab: { labDns: boolean }): string[] {
  return [SESSION_HOST, ...(lab.labDns ? [LAB_DNS] : [])];
}
