// Builds the Docker provisioner, and the session runtime behind each session's Docker API endpoint,
// from validated settings (the worker, tests and benchmarks share it).
import type { ProvisionerConfig } from "../../config";
import { labFirewallFromConfig } from "../firewall/fromConfig";
import type { Provisioner } from "~/core/provisioner/port";
import { createDockerClient } from "./client";
import { createDockerProvisioner, type DockerProvisionerOptions } from "./dockerProvisioner";
import type { SessionRuntime } from "./learnerObjects";
import { createSessionRuntime } from "./sessionRuntime";

/** The provisioner's settings, and the worker's capacity when the caller has the worker's settings. */
type Config = ProvisionerConfig & { WORKER_CAPACITY?: number };

function optionsFromConfig(config: Config, installationId: string): DockerProvisionerOptions {
  return {
    images: { learner: config.LAB_IMAGE, host: config.LAB_HOST_IMAGE },
    limits: {
      memoryMb: config.CONTAINER_MEMORY_MB,
      pidsLimit: config.CONTAINER_PIDS_LIMIT,
      tmpfsMb: config.CONTAINER_TMPFS_MB,
      maxContainers: config.MAX_CONTAINERS_PER_SESSION,
      maxNetworks: config.MAX_NETWORKS_PER_SESSION,
    },
    subnetPool: config.LAB_SUBNET_POOL,
    bridgePool: config.LAB_BRIDGE_POOL,
    filesDir: config.LAB_FILES_DIR,
    installationId,
    firewall: labFirewallFromConfig(config),
    ...(config.WORKER_CAPACITY === undefined ? {} : { capacity: config.WORKER_CAPACITY }),
  };
}

export function dockerProvisionerFromConfig(config: Config, installationId: string): Provisioner {
  return createDockerProvisioner(createDockerClient(config.DOCKER_HOST), optionsFromConfig(config, installationId));
}

/** What a session's Docker API endpoint creates objects with (the same options as the provisioner). */
export function sessionRuntimeFromConfig(config: Config, installationId: string): SessionRuntime {
  return createSessionRuntime(createDockerClient(config.DOCKER_HOST), optionsFromConfig(config, installationId));
}
