import { describe, expect, it } from "vitest";
import { Status } from "~/protocol/sessionStatus";
import { taskWorld, twoContainerLab, WORKER } from "../../test/support/memorySessions";
import { reconcile } from "./reconcile";

const spec = (sessionId: string) => ({ sessionId, networks: [], containers: twoContainerLab.containers, labDns: false });

describe("reconcile", () => {
  it("removes engine objects of sessions that are stopped, failed or unknown, and keeps live ones", async () => {
    const { provisioner, add, deps } = taskWorld();
    const stopped = add({ status: Status.stopped });
    const failed = add({ status: Status.failed });
    const running = add({ status: Status.ready, workerId: WORKER });
    const unknown = "7d5c1f3e-0000-4000-8000-00000000abcd";
    for (const id of [stopped.id, failed.id, running.id, unknown]) await provisioner.provision(spec(id));

    const report = await reconcile(deps);
    expect(report.removedOrphans.sort()).toEqual([stopped.id, failed.id, unknown].sort());
    expect(await provisioner.listSessionsWithObjects()).toEqual([running.id]);
  });

  it("removes this engine's objects of a live session now held by a worker on another engine, and leaves the rest", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const engines = new Map([
      [WORKER, "engine-here"],
      ["worker-on-this-engine", "engine-here"],
      ["worker-elsewhere", "engine-there"],
    ]);
    const moved = add({ status: Status.provisioning, workerId: "worker-elsewhere" });
    const movedRunning = add({ status: Status.ready, workerId: "worker-elsewhere" });
    const sameEngine = add({ status: Status.ready, workerId: "worker-on-this-engine" });
    const mine = add({ status: Status.ready, workerId: WORKER });
    for (const s of [moved, movedRunning, sameEngine, mine]) await provisioner.provision(spec(s.id));
    const asked: string[][] = [];
    const placedElsewhere = async (ids: string[]) => {
      asked.push(ids);
      return ids.filter((id) => {
        const holder = sessions.get(id).workerId;
        return holder !== WORKER && engines.get(holder!) !== engines.get(WORKER);
      });
    };

    const report = await reconcile({ ...deps, placedElsewhere });
    expect(report.removedMoved.sort()).toEqual([moved.id, movedRunning.id].sort());
    expect(report.removedOrphans).toEqual([]);
    expect((await provisioner.listSessionsWithObjects()).sort()).toEqual([sameEngine.id, mine.id].sort());
    expect(asked.map((ids) => ids.sort())).toEqual([[moved.id, movedRunning.id, sameEngine.id, mine.id].sort()]);
    // Their rows are the other worker's business: unchanged.
    expect(sessions.get(moved.id).status).toBe(Status.provisioning);
    expect(sessions.get(movedRunning.id).status).toBe(Status.ready);
  });

  it("finishes this worker's session left PROVISIONING by a previous run: it becomes READY", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const left = add({ status: Status.provisioning, workerId: WORKER });
    const otherWorkers = add({ status: Status.provisioning, workerId: "another-worker" });
    const report = await reconcile(deps, { atStart: true });
    expect(report.resumed).toEqual([left.id]);
    expect(sessions.get(left.id).status).toBe(Status.ready);
    expect((await provisioner.inspectContainer(left.id, "busybox2"))?.running).toBe(true);
    expect(sessions.get(otherWorkers.id).status).toBe(Status.provisioning);
  });

  it("finishes this worker's session left STOPPING: its objects are removed and it is STOPPED", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const left = add({ status: Status.stopping, workerId: WORKER });
    await provisioner.provision(spec(left.id));
    const report = await reconcile(deps);
    expect(report.stopped).toEqual([left.id]);
    expect(sessions.get(left.id).status).toBe(Status.stopped);
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
  });

  it("marks a READY session whose containers are gone from the engine as FAILED (lost), and keeps one that has them", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const lost = add({ status: Status.ready, workerId: WORKER });
    const fine = add({ status: Status.ready, workerId: WORKER });
    await provisioner.provision(spec(fine.id));
    const report = await reconcile(deps);
    expect(report.lost).toEqual([lost.id]);
    expect(sessions.get(lost.id)).toMatchObject({
      status: Status.failed,
      statusReason: expect.stringMatching(/containers are gone from its host/),
    });
    expect(sessions.get(fine.id).status).toBe(Status.ready);
  });

  it("serves a READY session of this worker again (its endpoint), and marks one whose host is gone as lost", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const fine = add({ status: Status.ready, workerId: WORKER });
    const hostless = add({ status: Status.ready, workerId: WORKER });
    await provisioner.provision(spec(fine.id));
    await provisioner.provision(spec(hostless.id));
    provisioner.removeContainer(hostless.id, "host");
    const report = await reconcile(deps);
    expect(report.served).toEqual([fine.id]);
    expect(report.lost).toEqual([hostless.id]);
    expect(sessions.get(hostless.id)).toMatchObject({
      status: Status.failed,
      statusReason: expect.stringMatching(/host is gone/),
    });
    expect(sessions.get(fine.id).status).toBe(Status.ready);
  });

  it("leaves a session alone while a queued or running job does its work (a running one at start is the dead run's)", async () => {
    const { sessions, add, deps } = taskWorld();
    const queued = add({ status: Status.provisioning, workerId: WORKER });
    const active = add({ status: Status.stopping, workerId: WORKER });
    const states: Record<string, string> = { [queued.id]: "created", [active.id]: "active" };
    const boss = {
      findJobs: async (_queue: string, options: { data: { sessionId: string } }) => [{ state: states[options.data.sessionId] }],
    };
    const later = await reconcile({ ...deps, boss: boss as never });
    expect(later.skipped.sort()).toEqual([queued.id, active.id].sort());
    expect(sessions.get(queued.id).status).toBe(Status.provisioning);

    const atStart = await reconcile({ ...deps, boss: boss as never }, { atStart: true });
    expect(atStart.skipped).toEqual([queued.id]);
    expect(atStart.stopped).toEqual([active.id]);
  });

  it("sees a placed session's jobs on this worker's own queue, not only on the shared one", async () => {
    const { sessions, add, deps } = taskWorld();
    const provisioning = add({ status: Status.provisioning, workerId: WORKER });
    const stopping = add({ status: Status.stopping, workerId: WORKER });
    const asked: string[] = [];
    const boss = {
      findJobs: async (queue: string) => {
        asked.push(queue);
        return queue.endsWith(`/${WORKER}`) ? [{ state: "retry" }] : [];
      },
    };
    const report = await reconcile({ ...deps, boss: boss as never });
    expect(report.skipped.sort()).toEqual([provisioning.id, stopping.id].sort());
    expect(sessions.get(provisioning.id).status).toBe(Status.provisioning);
    expect(sessions.get(stopping.id).status).toBe(Status.stopping);
    expect(asked).toContain(`session-provision/${WORKER}`);
    expect(asked).toContain(`session-teardown/${WORKER}`);
  });
});
