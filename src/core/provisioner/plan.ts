// Turns a session spec into an ordered, validated plan: which networks exist and how each
// container attaches. Pure: no engine calls, so every rule has a unit test.
import type { SessionSpec } from "~/core/provisioner/port";
import { SpecError } from "~/core/provisioner/port";
import { DEFAULT_NETWORK, LAB_DNS, parseNetworkMode, SESSION_HOST, sharingMode, type NetworkMode } from "~/protocol/labNames";

export type SessionLimits = { maxContainers: number; maxNetworks: number };

export type PlannedNetwork = { name: string; driver: "bridge" | "overlay" };

/** How a container attaches; `container` shares another's namespace ("host" is the session host). */
export type Attachment = NetworkMode;

export type PlannedContainer = {
  name: string;
  role: "host" | "dns" | "learner";
  attach: Attachment;
  /** Explicit resolvers (`--dns`); undefined means the session's default. */
  dns?: string[];
};

export type SessionPlan = { networks: PlannedNetwork[]; containers: PlannedContainer[] };

export function planSession(spec: SessionSpec, limits: SessionLimits): SessionPlan {
  if (spec.containers.length > limits.maxContainers) {
    throw new SpecError(
      `a session may run at most ${limits.maxContainers} containers; this lab asks for ${spec.containers.length}`,
    );
  }
  if (spec.networks.length > limits.maxNetworks) {
    throw new SpecError(`a session may create at most ${limits.maxNetworks} networks; this lab asks for ${spec.networks.length}`);
  }
  const networks: PlannedNetwork[] = [{ name: DEFAULT_NETWORK, driver: "bridge" }];
  for (const net of spec.networks) {
    if (networks.some((n) => n.name === net.name)) throw new SpecError(`network "${net.name}" is defined twice`);
    networks.push({ name: net.name, driver: net.driver });
  }

  const containers: PlannedContainer[] = [
    { name: SESSION_HOST, role: "host", attach: { kind: "network", network: DEFAULT_NETWORK } },
  ];
  if (spec.labDns) containers.push({ name: LAB_DNS, role: "dns", attach: { kind: "network", network: DEFAULT_NETWORK } });
  for (const c of spec.containers) {
    containers.push(
      planContainer(
        { name: c.name, attach: parseNetworkMode(c.network), ...(c.dns ? { dns: c.dns } : {}) },
        {
          networks: networks.map((n) => n.name),
          containers: containers.map((p) => p.name),
        },
      ),
    );
  }
  return { networks, containers };
}

/** What one learner container asks for: a lab's container or a learner's `docker run`. */
export type ContainerRequest = { name: string; attach: Attachment; dns?: string[] };

/**
 * Checks one learner container against what the session has (its networks, the containers that
 * exist before it) and plans it; the same rules for a lab's containers and a learner's `docker run`.
 */
export function planContainer(c: ContainerRequest, session: { networks: string[]; containers: string[] }): PlannedContainer {
  const where = `container "${c.name}"`;
  if (session.containers.includes(c.name)) throw new SpecError(`${where} is defined twice (or uses a reserved name)`);
  const { attach } = c;
  if (attach.kind === "network" && !session.networks.includes(attach.network)) {
    throw new SpecError(
      `${where}: network "${attach.network}" does not exist in this session; networks: ${session.networks.join(", ")}`,
    );
  }
  if (attach.kind === "container") {
    if (attach.target === c.name) throw new SpecError(`${where} cannot share its own network namespace`);
    if (!session.containers.includes(attach.target)) {
      throw new SpecError(`${where}: --network container:${attach.target} must name a container started before it`);
    }
    if (c.dns) {
      throw new SpecError(
        `${where}: --dns cannot be combined with --network ${sharingMode(attach.target)} (it uses ${attach.target}'s resolver)`,
      );
    }
  }
  if (attach.kind === "none" && c.dns) throw new SpecError(`${where}: --dns has no effect with --network none`);
  return { name: c.name, role: "learner", attach, ...(c.dns ? { dns: c.dns } : {}) };
}
