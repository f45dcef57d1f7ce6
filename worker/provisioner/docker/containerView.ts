// The session's containers as its terminal tabs show them: the lab's and the learner's own (kind
// "learner"), in creation order, network modes in the learner's words.
import type Docker from "dockerode";
import type { ContainerViewEntry } from "~/core/provisioner/port";
import { engine, statusOf, toProvisionerError } from "./errors";
import { labelOf, LEARNER_KIND, sessionFilters } from "./names";
import { learnerNetworkMode } from "./views";

/**
 * An engine timestamp (RFC 3339 with up to 9 fractional digits, trailing zeros trimmed) as a
 * string that sorts in time order: the fraction padded to nanoseconds.
 */
export function sortableTime(created: string): string {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(created);
  if (!match) return created;
  const [, seconds = "", fraction = "", zone = ""] = match;
  return `${new Date(`${seconds}${zone}`).toISOString().slice(0, 19)}.${fraction.padEnd(9, "0")}`;
}

/** Listed containers inspected (those removed since the list left out), in creation order. */
export async function inspectInCreationOrder(
  docker: Docker,
  listed: Docker.ContainerInfo[],
): Promise<Docker.ContainerInspectInfo[]> {
  // The list's creation time is in whole seconds (a lab's containers share one): inspect has nanoseconds.
  const inspected = await Promise.all(
    listed.map((c) =>
      docker
        .getContainer(c.Id)
        .inspect()
        .catch((error: unknown) => {
          if (statusOf(error) === 404) return undefined; // removed since the list
          throw toProvisionerError(error);
        }),
    ),
  );
  const found = inspected.filter((info): info is Docker.ContainerInspectInfo => info !== undefined);
  const time = (info: Docker.ContainerInspectInfo) => sortableTime(info.Created);
  return found.sort((a, b) => time(a).localeCompare(time(b)) || a.Name.localeCompare(b.Name));
}

export async function sessionContainerView(docker: Docker, sessionId: string): Promise<ContainerViewEntry[]> {
  const listed = (
    await engine(() => Promise.all(sessionFilters(sessionId).map((filters) => docker.listContainers({ all: true, filters }))))
  ).flat();
  const found = await inspectInCreationOrder(
    docker,
    listed.filter((c) => labelOf(c.Labels, "kind") === LEARNER_KIND),
  );
  return Promise.all(
    found.map(async (info) => ({
      name: labelOf(info.Config.Labels, "name") ?? info.Name.replace(/^\//, ""),
      networkMode: await learnerNetworkMode(docker, sessionId, info.HostConfig.NetworkMode ?? ""),
      running: info.State.Running,
    })),
  );
}
