// Capacity at `docker run` (issue 13): a learner's create is refused once the engine holds
// WORKER_CAPACITY containers of the installation, in one line through the real CLI, and parallel
// creates from two sessions cannot all pass (one count-and-create at a time per process).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionSpec } from "~/core/provisioner/port";
import { loadProvisionerConfig, loadWorkerConfig } from "../../worker/config";
import { countInstallationContainers } from "../../worker/provisioner/docker/capacity";
import { dockerProvisionerFromConfig, sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import { dockerCli, endpointDocker as docker, GENEROUS_LIMITS, serveEndpoint, type Endpoint } from "../support/sessionEndpoint";

// An installation of this file alone: only its objects count against the capacity it sets.
const installation = randomUUID();
const provisioner = dockerProvisionerFromConfig(loadProvisionerConfig(process.env), installation);
const sessions = [randomUUID(), randomUUID()];
let dir: string;
let capacity: number;
let a: Endpoint;
let b: Endpoint;

const spec = (sessionId: string): SessionSpec => ({
  sessionId,
  networks: [],
  containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
  labDns: false,
});
const full = () =>
  `docker: Error response from daemon: this lab host is full (${capacity} of ${capacity} containers are running); remove a container (docker rm) or try again later.`;
const run = (e: Endpoint, name: string) => dockerCli(e, "run", "-d", "--name", name, "busybox", "sleep", "1000");

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "o-cap-"));
  await Promise.all(sessions.map((id) => provisioner.provision(spec(id))));
  // Room for one container more than the two sessions have (each: its session host and busybox1).
  const have = await countInstallationContainers(docker, installation);
  expect(have).toBe(4);
  capacity = have + 1;
  // The worker's own settings carry the capacity to the runtime (fromConfig.ts), as in worker/app.ts.
  const settings = loadWorkerConfig({ ...process.env, WORKER_CAPACITY: String(capacity), WEB_ORIGINS: "http://allowed.test" });
  const runtime = sessionRuntimeFromConfig(settings, installation);
  [a, b] = await Promise.all([
    serveEndpoint(dir, sessions[0]!, "a", GENEROUS_LIMITS, runtime),
    serveEndpoint(dir, sessions[1]!, "b", GENEROUS_LIMITS, runtime),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.api.close(), b?.api.close()]);
  await Promise.all(sessions.map((id) => provisioner.teardown(id)));
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe("WORKER_CAPACITY at docker run", () => {
  it("refuses the create past the capacity in one line, and allows it again after a docker rm", async () => {
    const first = await run(a, "o-cap1");
    expect(first.err).toBe("");
    expect(first.code).toBe(0);

    const refused = await run(b, "o-cap2");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toBe("");
    expect(refused.err.split("\n")[0]).toBe(full());
    expect(refused.err).not.toMatch(/wireroom|netlab|installation/);
    expect(await countInstallationContainers(docker, installation)).toBe(capacity);
    expect((await dockerCli(b, "ps", "-a", "--format", "{{.Names}}")).out.trim()).toBe("busybox1");

    expect((await dockerCli(a, "rm", "-f", "o-cap1")).code).toBe(0);
    const again = await run(b, "o-cap2");
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
    expect((await dockerCli(b, "rm", "-f", "o-cap2")).code).toBe(0);
  }, 60_000);

  it("parallel creates from two sessions: exactly one takes the last place", async () => {
    const names = ["p1", "p2", "p3"];
    const results = await Promise.all([
      ...names.map((n) => run(a, `o-cap-a${n}`).then((r) => ({ e: a, name: `o-cap-a${n}`, ...r }))),
      ...names.map((n) => run(b, `o-cap-b${n}`).then((r) => ({ e: b, name: `o-cap-b${n}`, ...r }))),
    ]);
    const passed = results.filter((r) => r.code === 0);
    expect(passed, JSON.stringify(results.map((r) => [r.name, r.code, r.err]))).toHaveLength(1);
    for (const r of results.filter((x) => x.code !== 0)) expect(r.err.split("\n")[0]).toBe(full());
    expect(await countInstallationContainers(docker, installation)).toBe(capacity);
    expect((await dockerCli(passed[0]!.e, "rm", "-f", passed[0]!.name)).code).toBe(0);
    expect(await countInstallationContainers(docker, installation)).toBe(capacity - 1);
  }, 60_000);
});
