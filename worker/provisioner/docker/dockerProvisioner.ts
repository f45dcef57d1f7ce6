// The Docker adapter of the provisioner port. Every object it creates has a deterministic name
// and carries the session's labels, so provisioning adopts what exists and teardown finds it all.
import type Docker from "dockerode";
import { planSession, type SessionLimits } from "~/core/provisioner/plan";
import { SESSION_HOST, sharedContainer } from "~/protocol/labNames";
import type { LabFirewall } from "../firewall/labFirewall";
import { LabObjectMissingError, type Provisioner, type SessionSpec } from "~/core/provisioner/port";
import { ensureContainer, type ContainerLimits, type LabImages } from "./containers";
import { engine, statusOf, toProvisionerError } from "./errors";
import { createLabFiles } from "./labFiles";
import { assertOwned, containerNames, installationFilters, labelOf, sessionFilters } from "./names";
import { setupSessionHost } from "./hostSetup";
import { ensureNetwork, type ReadyNetwork } from "./networks";
import { sessionContainerView } from "./containerView";
import { watchEngineEvents } from "./events";
import { runInContainer, runProbesInContainer } from "./run";
import { createSessionEndpoints } from "./sessionEndpoints";
import { createSessionRuntime } from "./sessionRuntime";
import { openExecTerminal } from "./terminal";
import { engineIdOf, engineNetworkDrivers, learnerNetworkMode, sessionNetworkView } from "./views";
import { countInstallationContainers } from "./capacity";
import { createTopologyReader } from "./topology";

export type DockerProvisionerOptions = {
  images: LabImages;
  limits: ContainerLimits & SessionLimits;
  /** LAB_SUBNET_POOL: user networks' /24s. */
  subnetPool: string;
  /** LAB_BRIDGE_POOL: each session's default bridge's /16. */
  bridgePool: string;
  /** Folder for per-container files (resolv.conf, the session's API socket); the same path on the Docker host. */
  filesDir: string;
  /** Labelled on every object; listSessionsWithObjects only sees this installation's. */
  installationId: string;
  /** Re-asserted after the session's networks exist and before its containers start. */
  firewall: LabFirewall;
  /**
   * WORKER_CAPACITY: the most containers of this installation the engine holds; a learner's create
   * beyond it is refused (capacity.ts). Unset: no limit.
   */
  capacity?: number;
};

/** Treats "already gone" (404), "already in that state" (304) and "removal in progress" as success. */
export async function idempotent(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 304) return;
    if (status === 409 && /already in progress/i.test((error as Error).message)) return;
    throw toProvisionerError(error);
  }
}

/**
 * Removes a network; endpoints the engine still lists after their containers were removed
 * (it releases them asynchronously) are disconnected by force first.
 */
export async function removeNetwork(docker: Docker, id: string): Promise<void> {
  const network = docker.getNetwork(id);
  // Both states pass by themselves, with no event to wait for: an overlay stays "in use by task" a
  // moment after its last container went (swarm releases the attachment asynchronously), and under
  // load Docker 20.10 reports "active endpoints" for a while after their containers were removed
  // (seen in CI for more than the 0.7 s this once allowed). Retried, with backoff, for at most ~10 s.
  const deadline = Date.now() + 10_000;
  for (let attempt = 0; ; attempt++) {
    try {
      await idempotent(() => network.remove());
      return;
    } catch (error) {
      const message = (error as Error).message;
      const inUse = /in use by task/i.test(message);
      if (!(inUse || /active endpoints/i.test(message)) || Date.now() >= deadline) throw error;
      if (!inUse) await disconnectAll(network);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 1_000)));
    }
  }
}

/** Disconnects by force every endpoint the engine lists on `network`. */
async function disconnectAll(network: Docker.Network): Promise<void> {
  const info = await network.inspect().catch(() => undefined);
  for (const endpoint of Object.keys((info as { Containers?: object } | undefined)?.Containers ?? {})) {
    try {
      await idempotent(() => network.disconnect({ Container: endpoint, Force: true }));
    } catch (disconnectError) {
      // Its container is being removed right now: the engine releases the endpoint itself
      // (seen under load as "is marked for removal and cannot be connected or disconnected").
      if (!/marked for removal/i.test((disconnectError as Error).message)) throw disconnectError;
    }
  }
}

/** A session's container under its current name or, from before the rename, its legacy one. */
async function findContainer(
  docker: Docker,
  sessionId: string,
  name: string,
): Promise<{ container: Docker.Container; info: Docker.ContainerInspectInfo } | undefined> {
  for (const engineName of containerNames(sessionId, name)) {
    const container = docker.getContainer(engineName);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (error) {
      if (statusOf(error) === 404) continue;
      throw toProvisionerError(error);
    }
    assertOwned(info.Config.Labels, sessionId, `container ${name}`);
    return { container, info };
  }
  return undefined;
}

/** Every generation's objects matching a filter (the engine ANDs labels, so one list per generation). */
async function listAll<T>(filters: { label: string[] }[], list: (filter: { label: string[] }) => Promise<T[]>): Promise<T[]> {
  return (await engine(() => Promise.all(filters.map(list)))).flat();
}

export function createDockerProvisioner(docker: Docker, options: DockerProvisionerOptions): Provisioner {
  const files = createLabFiles(options.filesDir);
  const topology = createTopologyReader(docker, files);
  // Each running session's Docker API endpoint (the `docker` command in its host terminal).
  const endpoints = createSessionEndpoints(docker, {
    runtime: createSessionRuntime(docker, options),
    files,
    images: options.images,
    limits: options.limits,
    installationId: options.installationId,
  });

  async function runningContainer(sessionId: string, name: string): Promise<Docker.Container> {
    const found = await findContainer(docker, sessionId, name);
    if (!found?.info.State.Running) throw new LabObjectMissingError(`container ${name}`);
    return found.container;
  }

  const sessionContainers = (sessionId: string) =>
    listAll(sessionFilters(sessionId), (filters) => docker.listContainers({ all: true, filters }));
  const sessionNetworks = (sessionId: string) =>
    listAll(sessionFilters(sessionId), (filters) => docker.listNetworks({ filters }));

  return {
    async ping() {
      await engine(() => docker.ping());
    },

    async provision(spec: SessionSpec) {
      const plan = planSession(spec, options.limits);
      await engine(() => docker.ping());
      const networks = new Map<string, ReadyNetwork>();
      const pools = { bridge: options.bridgePool, user: options.subnetPool };
      for (const net of plan.networks) {
        networks.set(
          net.name,
          await ensureNetwork(docker, spec.sessionId, net, { pools, installationId: options.installationId }),
        );
      }
      await options.firewall.ensure([...networks.values()].flatMap((n) => (n.bridge ? [n.bridge] : [])));
      const ctx = {
        sessionId: spec.sessionId,
        networks,
        resolvers: new Map<string, string[]>(),
        limits: options.limits,
        images: options.images,
        files,
        installationId: options.installationId,
      };
      // The session host becomes the seed's host (docker0 = the bridge's gateway) while the other
      // containers are made; the session is ready only when both are done.
      let hostReady: Promise<void> = Promise.resolve();
      for (const container of plan.containers) {
        const id = await ensureContainer(docker, container, ctx);
        if (container.role === "host") {
          hostReady = setupSessionHost(docker, id, [...networks.values()], {
            sessionId: spec.sessionId,
            installationId: options.installationId,
            image: options.images.host,
            limits: options.limits,
          });
          hostReady.catch(() => undefined); // awaited below; kept from going unhandled if a container fails first
        }
      }
      await hostReady;
      await endpoints.serve(spec.sessionId);
      // A teardown that ran meanwhile (Stop during provisioning) closed before this served: no
      // endpoint outlives its session's host.
      if (!(await findContainer(docker, spec.sessionId, SESSION_HOST))) await endpoints.close(spec.sessionId);
    },

    async resume(sessionId: string) {
      const host = await findContainer(docker, sessionId, SESSION_HOST);
      if (!host) throw new LabObjectMissingError(`session ${sessionId}'s host`);
      await endpoints.serve(sessionId);
    },

    async teardown(sessionId: string) {
      await endpoints.close(sessionId);
      topology.forget(sessionId);
      const containers = await sessionContainers(sessionId);
      // Containers sharing another's namespace go first: removing both at once can leave the
      // engine with a stale endpoint that blocks the network's removal (seen on Docker 20.10).
      const sharing = (c: Docker.ContainerInfo) => sharedContainer(c.HostConfig?.NetworkMode ?? "") !== undefined;
      for (const phase of [containers.filter(sharing), containers.filter((c) => !sharing(c))]) {
        await Promise.all(phase.map((c) => idempotent(() => docker.getContainer(c.Id).remove({ force: true }))));
      }
      const networks = await sessionNetworks(sessionId);
      await Promise.all(networks.map((n) => removeNetwork(docker, n.Id)));
      await files.removeSession(sessionId);
    },

    async openTerminal(sessionId, name, size) {
      const container = await runningContainer(sessionId, name);
      return engine(() => openExecTerminal(container, size));
    },

    async run(sessionId, name, argv, runOptions = {}) {
      const container = await runningContainer(sessionId, name);
      return engine(() => runInContainer(docker, container, argv, runOptions.timeoutMs ?? 10_000));
    },

    async runProbes(sessionId, name, commands, probeOptions) {
      const container = await runningContainer(sessionId, name);
      return engine(() => runProbesInContainer(docker, container, commands, probeOptions));
    },

    async inspectContainer(sessionId, name) {
      const found = await findContainer(docker, sessionId, name);
      if (!found) return undefined;
      const { info } = found;
      return {
        running: info.State.Running,
        networkMode: await learnerNetworkMode(docker, sessionId, info.HostConfig.NetworkMode ?? ""),
      };
    },

    networkView: (sessionId) => sessionNetworkView(docker, sessionId),
    networkDrivers: () => engineNetworkDrivers(docker),
    engineId: () => engineIdOf(docker),
    countContainers: () => countInstallationContainers(docker, options.installationId),

    async listSessionObjects(sessionId: string) {
      const [containers, networks] = await Promise.all([sessionContainers(sessionId), sessionNetworks(sessionId)]);
      return {
        containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, "")).sort(),
        networks: networks.map((n) => n.Name).sort(),
      };
    },

    async listSessionsWithObjects() {
      const filters = installationFilters(options.installationId);
      const [containers, networks] = await Promise.all([
        listAll(filters, (f) => docker.listContainers({ all: true, filters: f })),
        listAll(filters, (f) => docker.listNetworks({ filters: f })),
      ]);
      const ids = [...containers, ...networks].map((o) => labelOf(o.Labels, "session")).filter((id): id is string => !!id);
      return [...new Set(ids)];
    },

    containerView: (sessionId) => sessionContainerView(docker, sessionId),
    topologyView: (sessionId) => topology.read(sessionId),
    watch: (listener) => watchEngineEvents(docker, options.installationId, listener),
    close: () => endpoints.closeAll(),
  };
}
