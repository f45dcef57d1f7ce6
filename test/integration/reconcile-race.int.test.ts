// Reconciliation while a session is being provisioned: the periodic reconcile must not provision
// (or tear down) a session whose provision job is running. Seen before: one session FAILED with
// "no such container", another lost its containers in the same second.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findLab } from "~/core/labs/catalog";
import { getInstallationId } from "~/core/installation";
import { prismaSessionStore } from "~/core/sessions/sessionStore";
import { getBoss } from "~/server/webBoss";
import { loadProvisionerConfig } from "../../worker/config";
import type { RunningWorker } from "../../worker/app";
import { containerName } from "../../worker/provisioner/docker/names";
import { dockerProvisionerFromConfig } from "../../worker/provisioner/docker/fromConfig";
import { reconcile } from "../../worker/tasks/reconcile";
import { db, learner, testWorker, waitForStatus } from "../support/harness";

const workerId = `reconcile-race-${randomUUID().slice(0, 8)}`;
let worker: RunningWorker;
const sessions: string[] = [];
let provisioner: ReturnType<typeof dockerProvisionerFromConfig>;

beforeAll(async () => {
  // No periodic reconcile of its own: the test runs it, as often as it can.
  worker = await testWorker({ WORKER_ID: workerId, RECONCILE_INTERVAL_SECONDS: "86400" });
  provisioner = dockerProvisionerFromConfig(loadProvisionerConfig(), await getInstallationId(db()));
});

afterAll(async () => {
  await worker?.stop();
  for (const id of sessions) await provisioner.teardown(id);
});

it(
  "a reconcile run repeatedly while sessions provision leaves them READY with every container",
  { timeout: 120_000 },
  async () => {
    const lab = findLab("network-modes")!;
    const expected = ["host", ...(lab.labDns ? ["dns"] : []), ...lab.containers.map((c) => c.name)];
    const owners = await Promise.all([learner(), learner(), learner()]);
    const ids = await Promise.all(owners.map(async (o) => (await o.api.session.start({ labSlug: "network-modes" })).id));
    sessions.push(...ids);

    // The worker's own reconcile (what its timer runs), as the process would, in the same process.
    const deps = { sessions: prismaSessionStore(db()), provisioner, workerId, boss: await getBoss(process.env.DATABASE_URL!) };
    const provisioning = async () =>
      (await db().labSession.findMany({ where: { id: { in: ids } } })).some(
        (r) => r.status === "QUEUED" || r.status === "PROVISIONING",
      );
    let runs = 0;
    let during = 0;
    const deadline = Date.now() + 60_000;
    while (await provisioning()) {
      const rows = await db().labSession.findMany({ where: { id: { in: ids }, status: "PROVISIONING" } });
      await reconcile(deps);
      runs++;
      if (rows.length) during++;
      if (Date.now() > deadline) throw new Error("the sessions never left provisioning");
    }
    expect(during, `reconcile ran ${runs} times, ${during} of them while a session was PROVISIONING`).toBeGreaterThan(0);

    for (const id of ids) {
      const row = await waitForStatus(id, ["READY", "FAILED", "STOPPED"]);
      expect(row.status, `${id}: ${row.statusReason}`).toBe("READY");
    }
    // Once more after they are READY: nothing is lost, nothing duplicated.
    await reconcile(deps);
    for (const id of ids) {
      const objects = await provisioner.listSessionObjects(id);
      expect(objects.containers).toEqual(expected.map((name) => containerName(id, name)).sort());
      for (const name of expected) expect((await provisioner.inspectContainer(id, name))?.running, `${id}/${name}`).toBe(true);
      expect((await db().labSession.findUniqueOrThrow({ where: { id } })).status).toBe("READY");
    }
  },
);
