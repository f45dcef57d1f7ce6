// A container or network the learner creates (through the session's runtime, as `docker run` and
// `docker network create` on the session's endpoint do) reaches the page by push: engine event →
// the worker's refresh → engineView → NOTIFY → live.session. Its terminal opens; once it is
// removed its tab goes, its open terminal ends, and new tokens and connections are refused.
import { afterAll, beforeAll, expect, it } from "vitest";
import { getInstallationId } from "~/core/installation";
import { Status } from "~/protocol/sessionStatus";
import type { LiveSessionEvent } from "~/server/api/routers/live";
import { until as untilEvent, type Live } from "../support/live";
import type { RunningWorker } from "../../worker/app";
import { loadProvisionerConfig } from "../../worker/config";
import { createDockerClient } from "../../worker/provisioner/docker/client";
import { sessionRuntimeFromConfig } from "../../worker/provisioner/docker/fromConfig";
import type { LearnerRun } from "../../worker/provisioner/docker/learnerObjects";
import { connectTerminal, db, engine, learner, testWorker, waitForStatus, within, type TerminalClient } from "../support/harness";

/** How long a change may take from the engine to the page. */
const PUSH_DEADLINE_MS = 10_000;

let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
const docker = createDockerClient(process.env.DOCKER_HOST);
const open: TerminalClient[] = [];

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "bridge-basics" })).id;
  await waitForStatus(sessionId, [Status.ready]);
});
afterAll(async () => {
  for (const client of open) client.close();
  await worker?.stop();
  if (sessionId) await engine.teardown(sessionId);
});

async function subscribe(): Promise<Live> {
  return (await owner.api.live.session({ sessionId }))[Symbol.asyncIterator]();
}

/** Reads the subscription until an event satisfies `pick`, within the push deadline. */
const until = <T>(live: Live, what: string, pick: (event: LiveSessionEvent) => T | undefined): Promise<T> =>
  untilEvent(live, what, pick, PUSH_DEADLINE_MS, (e) =>
    e.type === "session" ? `session(${e.session.terminals.join(" ")})` : e.type,
  );

const terminals = (test: (names: string[]) => boolean) => (event: LiveSessionEvent) =>
  event.type === "session" && test(event.session.terminals) ? event.session.terminals : undefined;

function learnerRun(name: string): LearnerRun {
  return {
    name,
    attach: { kind: "network", network: "bridge" },
    env: [],
    tty: true,
    openStdin: true,
    stdinOnce: false,
    attachStdin: false,
    attachStdout: false,
    attachStderr: false,
    autoRemove: false,
  };
}

it("a container the learner creates appears as a terminal tab at once, opens, and disappears when removed", async () => {
  const runtime = sessionRuntimeFromConfig(loadProvisionerConfig(process.env), await getInstallationId(db()));
  const live = await subscribe();
  try {
    expect(
      await until(
        live,
        "the current terminals",
        terminals(() => true),
      ),
    ).toEqual(["host", "busybox1"]);

    const { id } = await runtime.createContainer(sessionId, learnerRun("cbox"));
    await docker.getContainer(id).start();
    expect(
      await until(
        live,
        "cbox's tab",
        terminals((names) => names.includes("cbox")),
      ),
    ).toEqual(["host", "busybox1", "cbox"]);
    const progress = await until(live, "cbox in the engine panel", (e) =>
      e.type === "progress" && e.progress.engine?.containers?.some((c) => c.name === "cbox" && c.running)
        ? e.progress
        : undefined,
    );
    expect(progress.engine?.containers).toEqual([
      { name: "busybox1", networkMode: "bridge", running: true },
      { name: "cbox", networkMode: "bridge", running: true },
    ]);

    const issued = await owner.api.session.terminalToken({ sessionId, terminal: "cbox" });
    const client = await connectTerminal(worker.port, { token: issued.token, sessionId, terminal: "cbox" });
    open.push(client);
    client.type("echo live-$((6*7))\n");
    await client.waitForOutput(/live-42\r\n/);
    const ended = within(
      new Promise<string>((resolve) => client.once("exit", ({ reason }) => resolve(reason))),
      PUSH_DEADLINE_MS,
      "cbox's open terminal to end",
    );

    await docker.getContainer(id).remove({ force: true });
    // Not a hang, not a reconnect loop: the gateway ends it, says why, and disconnects.
    expect(await ended).toMatch(/^container cbox (was removed|stopped \(or is being removed\)); its terminal is closed$/);
    expect(
      await until(
        live,
        "cbox's tab to go",
        terminals((names) => !names.includes("cbox")),
      ),
    ).toEqual(["host", "busybox1"]);

    await expect(owner.api.session.terminalToken({ sessionId, terminal: "cbox" })).rejects.toThrow(
      /no container "cbox" \(it was removed, or never created\)\. Terminals: host, busybox1\./,
    );
    // A token issued before the removal still authenticates, and the gateway says the container is gone.
    const late = await connectTerminal(worker.port, { token: issued.token, sessionId, terminal: "cbox" });
    open.push(late);
    const refused = await within(
      new Promise<{ code: string; message: string }>((resolve) => late.once("error", resolve)),
      PUSH_DEADLINE_MS,
      "the refusal of a removed container's terminal",
    );
    expect(refused).toEqual({
      code: "unavailable",
      message: "there is no container cbox in this session (it was removed, or never created)",
    });
  } finally {
    await live.return?.();
  }
});

it("a network the learner creates shows in the session's network panel", async () => {
  const runtime = sessionRuntimeFromConfig(loadProvisionerConfig(process.env), await getInstallationId(db()));
  const live = await subscribe();
  try {
    await runtime.createNetwork(sessionId, { name: "lnet", driver: "bridge" });
    const networks = await until(live, "lnet in the network panel", (e) =>
      e.type === "progress" && e.progress.engine?.networks.some((n) => n.name === "lnet")
        ? e.progress.engine.networks
        : undefined,
    );
    expect(networks.map((n) => n.name)).toEqual(["bridge", "host", "lnet", "none"]);
  } finally {
    await live.return?.();
  }
});
