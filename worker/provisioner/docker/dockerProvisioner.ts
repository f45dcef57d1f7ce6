// The Docker adapter of the provisioner port. Every object it creates has a deterministic name
// and carries the session's labels, so provisioning adopts what exists and teardown finds it all.
import type Docker from "dockerode";
import type { LabContainer } from "~/shared/labs";
import { LabObjectMissingError, type Provisioner, type SessionSpec } from "../port";
import { engine, statusOf, toProvisionerError } from "./errors";
import { containerName, LABEL_SESSION, networkName, sessionFilter, sessionLabels } from "./names";
import { openExecTerminal } from "./terminal";

export type DockerProvisionerOptions = {
  image: string;
  memoryMb: number;
  pidsLimit: number;
};

/** Treats "already gone" (404) and "already in that state" (304) as success. */
async function idempotent(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const status = statusOf(error);
    if (status !== 404 && status !== 304) throw toProvisionerError(error);
  }
}

function assertOwned(labels: Record<string, string> | undefined, sessionId: string, what: string) {
  if (labels?.[LABEL_SESSION] !== sessionId) {
    throw new Error(`${what} exists but does not belong to session ${sessionId}; refusing to adopt it`);
  }
}

export function createDockerProvisioner(docker: Docker, options: DockerProvisionerOptions): Provisioner {
  async function ensureNetwork(sessionId: string, name: string): Promise<string> {
    const engineName = networkName(sessionId, name);
    try {
      const info = await docker.getNetwork(engineName).inspect();
      assertOwned(info.Labels, sessionId, `network ${engineName}`);
      return engineName;
    } catch (error) {
      if (statusOf(error) !== 404) throw toProvisionerError(error);
    }
    try {
      await docker.createNetwork({
        Name: engineName,
        Driver: "bridge",
        Internal: true, // no route off the machine
        CheckDuplicate: true,
        Labels: sessionLabels(sessionId, name),
      });
    } catch (error) {
      if (statusOf(error) !== 409) throw toProvisionerError(error); // created meanwhile: adopt it
    }
    return engineName;
  }

  async function ensureContainer(sessionId: string, spec: LabContainer, network: string): Promise<void> {
    const engineName = containerName(sessionId, spec.name);
    const container = docker.getContainer(engineName);
    try {
      const info = await container.inspect();
      assertOwned(info.Config.Labels, sessionId, `container ${engineName}`);
      if (!info.State.Running) await idempotent(() => container.start());
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw toProvisionerError(error);
    }
    const memory = options.memoryMb * 1024 * 1024;
    try {
      await docker.createContainer({
        name: engineName,
        Image: options.image,
        Cmd: ["sh"],
        Tty: true,
        OpenStdin: true,
        Hostname: spec.name,
        Labels: sessionLabels(sessionId, spec.name),
        HostConfig: {
          NetworkMode: network,
          Memory: memory,
          MemorySwap: memory,
          PidsLimit: options.pidsLimit,
          CpuShares: 256,
          CapDrop: ["ALL"],
          CapAdd: ["NET_RAW"], // ping
          SecurityOpt: ["no-new-privileges"],
          ReadonlyRootfs: true,
          Tmpfs: { "/tmp": "rw,nosuid,size=16m", "/root": "rw,nosuid,size=4m" },
          // No resolver off the machine until the lab DNS service exists.
          Dns: ["127.0.0.1"],
        },
        NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [spec.name] } } },
      });
    } catch (error) {
      if (statusOf(error) !== 409) throw toProvisionerError(error); // created meanwhile: adopt it
    }
    await idempotent(() => container.start());
  }

  async function listSessionObjects(sessionId: string) {
    const [containers, networks] = await engine(() =>
      Promise.all([
        docker.listContainers({ all: true, filters: sessionFilter(sessionId) }),
        docker.listNetworks({ filters: sessionFilter(sessionId) }),
      ]),
    );
    return {
      containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, "")),
      networks: networks.map((n) => n.Name),
    };
  }

  return {
    async ping() {
      await engine(() => docker.ping());
    },

    async provision(spec: SessionSpec) {
      await engine(() => docker.ping());
      const network = await ensureNetwork(spec.sessionId, "bridge");
      for (const container of spec.containers) await ensureContainer(spec.sessionId, container, network);
    },

    async teardown(sessionId: string) {
      const containers = await engine(() => docker.listContainers({ all: true, filters: sessionFilter(sessionId) }));
      await Promise.all(containers.map((c) => idempotent(() => docker.getContainer(c.Id).remove({ force: true }))));
      const networks = await engine(() => docker.listNetworks({ filters: sessionFilter(sessionId) }));
      await Promise.all(networks.map((n) => idempotent(() => docker.getNetwork(n.Id).remove())));
    },

    async openTerminal(sessionId, name, size) {
      const container = docker.getContainer(containerName(sessionId, name));
      let info: Docker.ContainerInspectInfo;
      try {
        info = await container.inspect();
      } catch (error) {
        if (statusOf(error) === 404) throw new LabObjectMissingError(`container ${name}`);
        throw toProvisionerError(error);
      }
      assertOwned(info.Config.Labels, sessionId, `container ${name}`);
      if (!info.State.Running) throw new LabObjectMissingError(`container ${name}`);
      return engine(() => openExecTerminal(container, size));
    },

    listSessionObjects,
  };
}
