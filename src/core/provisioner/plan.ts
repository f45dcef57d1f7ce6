// Turns a session spec into an ordered, validated plan: which networks exist and how each
// container attaches. Pure: no engine calls, so every rule has a unit test.
import type { SessionSpec } from "~/core/provisioner/port";
import { SpecError } from "~/core/provisioner/port";
import { DEFAULT_NETWORK, LAB_DNS, parseNetworkMode, SESSION_HOST, type NetworkMode } from "~/protocol/labNames";

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
    const where = `container "${c.name}"`;
    if (containers.some((p) => p.name === c.name)) throw new SpecError(`${where} is defined twice (or uses a reserved name)`);
    const attach = parseNetworkMode(c.network);
    if (attach.kind === "network" && !networks.some((n) => n.name === attach.network)) {
      throw new SpecError(
        `${where}: network "${attach.network}" does not exist in this session; networks: ${networks.map((n) => n.name).join(", ")}`,
      );
    }
    if (attach.kind === "container") {
      if (attach.target === c.name) throw new SpecError(`${where} cannot share its own network namespace`);
      if (!containers.some((p) => p.name === attach.target)) {
        throw new SpecError(`${where}: --network container:${attach.target} must name a container started before it`);
      }
      if (c.dns)
        throw new SpecError(
          `${where}: --dns cannot be combined with --network ${c.network} (it uses ${attach.target}'s resolver)`,
        );
    }
    if (attach.kind === "none" && c.dns) throw new SpecError(`${where}: --dns has no effect with --network none`);
    containers.push({ name: c.name, role: "learner", attach, ...(c.dns ? { dns: c.dns } : {}) });
  }
  return { networks, containers };
}
