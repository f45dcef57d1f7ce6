// An installation upgraded from netlab: the sessions it is running carry io.netlab.* labels and
// netlab- names. For one release the Docker adapter still finds them for reconciliation, runs
// checks in them, inspects them and tears them down.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { engine, TEST_INSTALLATION } from "../support/engine";

const docker = createDockerClient(process.env.DOCKER_HOST);
const sessionId = randomUUID();
const containerName = `netlab-${sessionId}-busybox1`;
const networkName = `netlab-${sessionId}-net-bridge`;

/** The labels the netlab release put on every object it made. */
function netlabLabels(name: string, kind: string) {
  return {
    "io.netlab.managed": "true",
    "io.netlab.installation": TEST_INSTALLATION,
    "io.netlab.session": sessionId,
    "io.netlab.name": name,
    "io.netlab.kind": kind,
  };
}

async function exists(inspect: () => Promise<unknown>): Promise<boolean> {
  return inspect().then(
    () => true,
    (error: { statusCode?: number }) => {
      if (error.statusCode === 404) return false;
      throw error;
    },
  );
}

beforeAll(async () => {
  await docker.createNetwork({ Name: networkName, Internal: true, Labels: netlabLabels("bridge", "network") });
  const container = await docker.createContainer({
    name: containerName,
    Image: loadProvisionerConfig().LAB_IMAGE,
    Cmd: ["sleep", "3600"],
    Labels: netlabLabels("busybox1", "learner"),
    HostConfig: { NetworkMode: networkName, CapDrop: ["ALL"] },
  });
  await container.start();
});

afterAll(async () => {
  // Only when the test failed before its teardown: both are gone otherwise.
  await docker
    .getContainer(containerName)
    .remove({ force: true })
    .catch(() => undefined);
  await docker
    .getNetwork(networkName)
    .remove()
    .catch(() => undefined);
});

it("lists, runs in, inspects and tears down a session whose objects carry netlab's labels and names", async () => {
  expect(await engine.listSessionsWithObjects()).toContain(sessionId);
  expect(await engine.listSessionObjects(sessionId)).toEqual({ containers: [containerName], networks: [networkName] });

  const ran = await engine.run(sessionId, "busybox1", ["sh", "-c", "echo legacy-$((6*7))"]);
  expect(ran.exitCode).toBe(0);
  expect(ran.output).toContain("legacy-42");
  expect(await engine.inspectContainer(sessionId, "busybox1")).toEqual({ running: true, networkMode: "bridge" });

  await engine.teardown(sessionId);
  expect(await engine.listSessionObjects(sessionId)).toEqual({ containers: [], networks: [] });
  expect(await engine.listSessionsWithObjects()).not.toContain(sessionId);
  expect(await exists(() => docker.getContainer(containerName).inspect())).toBe(false);
  expect(await exists(() => docker.getNetwork(networkName).inspect())).toBe(false);
});
