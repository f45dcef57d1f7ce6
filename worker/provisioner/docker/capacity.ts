// How many containers this installation has on the engine, and the gate that keeps a learner's
// `docker run` within the worker's capacity (WORKER_CAPACITY). Placement counts planned containers
// when a session starts; this counts what is really there when a learner creates one more.
import type Docker from "dockerode";
import { inTurn } from "~/core/inTurn";
import { SpecError } from "~/core/provisioner/port";
import { engine } from "./errors";
import { HELPER_KIND, installationFilters, labelOf } from "./names";

/**
 * Every container of the installation on this engine, created, running or stopped (a created one is
 * started next, and a stopped one can be started again), of either label generation. The platform's
 * helpers (captures, impairments, the host's set-up) are not lab containers and do not count.
 */
export async function countInstallationContainers(docker: Docker, installationId: string): Promise<number> {
  const lists = await engine(() =>
    Promise.all(installationFilters(installationId).map((filters) => docker.listContainers({ all: true, filters }))),
  );
  const counted = lists.flat().filter((c) => labelOf(c.Labels, "kind") !== HELPER_KIND);
  return new Set(counted.map((c) => c.Id)).size;
}

export function labHostFullMessage(count: number, capacity: number): string {
  return `this lab host is full (${count} of ${capacity} containers are running); remove a container (docker rm) or try again later`;
}

// One turn per process: a count and the create it admits happen before the next count, so
// parallel creates (of any session, through any runtime of this process) cannot all pass.
const inCapacityTurn = inTurn();

export type CapacityGate = {
  /** Runs `create` when the engine has fewer than `capacity` containers of the installation; SpecError otherwise. */
  admit<T>(create: () => Promise<T>): Promise<T>;
};

/** `capacity` undefined: no limit (tests and tools that build a runtime without a worker's settings). */
export function createCapacityGate(docker: Docker, installationId: string, capacity: number | undefined): CapacityGate {
  return {
    admit<T>(create: () => Promise<T>): Promise<T> {
      if (capacity === undefined) return create();
      const admitted = async () => {
        const count = await countInstallationContainers(docker, installationId);
        if (count >= capacity) throw new SpecError(labHostFullMessage(count, capacity));
        return create();
      };
      return inCapacityTurn(admitted);
    },
  };
}
