// The runtime behind a session's Docker API endpoint: what a learner's `docker run` and `docker
// network create` make, through the same code as the provisioned objects (containers.ts,
// networks.ts), so a learner's container is hardened, attached and resolved exactly like a lab's.
import type Docker from "dockerode";
import { planContainer } from "~/core/provisioner/plan";
import { SpecError } from "~/core/provisioner/port";
import { DEFAULT_NETWORK, SESSION_HOST } from "~/protocol/labNames";
import type { DockerProvisionerOptions } from "./dockerProvisioner";
import { createCapacityGate } from "./capacity";
import { connectSessionHost, createOptions, type ContainerContext } from "./containers";
import { engine, statusOf, toProvisionerError } from "./errors";
import { createLabFiles } from "./labFiles";
import type { LearnerNetwork, LearnerRun, SessionRuntime } from "./learnerObjects";
import { containerName, labelOf, LEARNER_KIND, sessionFilters } from "./names";
import { checkLearnerSubnet, ensureNetwork, readyFrom, type ReadyNetwork } from "./networks";

export type SessionRuntimeOptions = Pick<
  DockerProvisionerOptions,
  "images" | "limits" | "subnetPool" | "bridgePool" | "filesDir" | "installationId" | "firewall" | "capacity"
>;

export function createSessionRuntime(docker: Docker, options: SessionRuntimeOptions): SessionRuntime {
  const files = createLabFiles(options.filesDir);
  // The engine's containers of this installation stay within the worker's capacity (WORKER_CAPACITY).
  const capacity = createCapacityGate(docker, options.installationId, options.capacity);
  // One change per session at a time in this process: quotas and names are checked, then used.
  const queues = new Map<string, Promise<unknown>>();
  function serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const next = (queues.get(sessionId) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(sessionId, settled);
    void settled.then(() => {
      if (queues.get(sessionId) === settled) queues.delete(sessionId);
    });
    return next;
  }

  async function sessionNetworks(sessionId: string): Promise<Map<string, ReadyNetwork>> {
    const listed = (
      await engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listNetworks({ filters }))))
    ).flat();
    const networks = new Map<string, ReadyNetwork>();
    for (const info of listed) {
      const name = labelOf(info.Labels, "name") ?? info.Name;
      const driver = info.Driver === "overlay" ? "overlay" : "bridge";
      if (info.IPAM?.Config?.[0]?.Subnet) networks.set(name, readyFrom({ name, driver }, info));
    }
    if (!networks.has(DEFAULT_NETWORK))
      throw new SpecError("this session is not running (it has no networks); start the lab again");
    return networks;
  }

  async function sessionContainers(sessionId: string) {
    const listed = (
      await engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listContainers({ all: true, filters }))))
    ).flat();
    return listed.map((c) => ({ name: labelOf(c.Labels, "name") ?? c.Id, kind: labelOf(c.Labels, "kind") }));
  }

  async function sessionHostId(sessionId: string): Promise<string> {
    try {
      return (await docker.getContainer(containerName(sessionId, SESSION_HOST)).inspect()).Id;
    } catch (error) {
      if (statusOf(error) === 404) throw new SpecError("this session is not running (its host is gone); start the lab again");
      throw toProvisionerError(error);
    }
  }

  return {
    createContainer(sessionId: string, run: LearnerRun) {
      return serial(sessionId, async () => {
        const [networks, containers] = await Promise.all([sessionNetworks(sessionId), sessionContainers(sessionId)]);
        if (containers.some((c) => c.name === run.name)) {
          throw new SpecError(
            `the container name "${run.name}" is already in use in this session; remove it (docker rm) or choose another`,
          );
        }
        // Files of containers that are gone (this runtime makes one change per session at a time).
        await files.pruneResolvConfs(sessionId, new Set(containers.map((c) => c.name)));
        const max = options.limits.maxContainers;
        if (containers.filter((c) => c.kind === LEARNER_KIND).length >= max) {
          throw new SpecError(`a session may have at most ${max} containers; remove one (docker rm) before creating another`);
        }
        const planned = planContainer(
          { name: run.name, attach: run.attach, ...(run.dns ? { dns: run.dns } : {}) },
          { networks: [...networks.keys()], containers: containers.map((c) => c.name) },
        );
        const ctx: ContainerContext = {
          sessionId,
          networks,
          resolvers: new Map(),
          limits: options.limits,
          images: options.images,
          files,
          installationId: options.installationId,
        };
        if (planned.attach.kind === "container") {
          const target = planned.attach.target;
          ctx.resolvers.set(target, (await files.readResolvConf(sessionId, target)) ?? ["127.0.0.11"]);
        }
        const { options: create } = await createOptions(planned, ctx, run);
        try {
          const container = await capacity.admit(() => docker.createContainer(create));
          return { id: container.id };
        } catch (error) {
          if (statusOf(error) === 409) {
            throw new SpecError(
              `the container name "${run.name}" is already in use in this session; remove it (docker rm) or choose another`,
            );
          }
          throw toProvisionerError(error);
        }
      });
    },

    createNetwork(sessionId: string, net: LearnerNetwork) {
      return serial(sessionId, async () => {
        const networks = await sessionNetworks(sessionId);
        if (networks.has(net.name)) throw new SpecError(`network with name ${net.name} already exists in this session`);
        const max = options.limits.maxNetworks;
        if (networks.size - 1 >= max) {
          throw new SpecError(`a session may have at most ${max} networks of its own; remove one (docker network rm) first`);
        }
        const subnet = net.subnet === undefined ? undefined : checkLearnerSubnet(net.subnet, options.subnetPool);
        const hostId = await sessionHostId(sessionId);
        const ready = await ensureNetwork(
          docker,
          sessionId,
          { name: net.name, driver: net.driver },
          { pools: { bridge: options.bridgePool, user: options.subnetPool }, installationId: options.installationId, subnet },
        );
        if (ready.bridge) await options.firewall.ensure([ready.bridge]);
        await connectSessionHost(docker, hostId, ready);
        return { id: ready.id };
      });
    },
  };
}
