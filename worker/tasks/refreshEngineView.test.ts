import { describe, expect, it, vi } from "vitest";
import { Status } from "~/protocol/sessionStatus";
import { job, taskWorld } from "../../test/support/memorySessions";
import { provisionSessionTask } from "./provisionSession";
import { createEngineViewRefresher, refreshEngineView } from "./refreshEngineView";

async function readySession() {
  const world = taskWorld();
  const session = world.add();
  await provisionSessionTask(world.deps).run(job({ sessionId: session.id }));
  expect(world.sessions.get(session.id).status).toBe(Status.ready);
  return { ...world, sessionId: session.id };
}

describe("the engine view refresh", () => {
  it("a READY session's view lists its containers in creation order, the lab's first, never the host", async () => {
    const { sessions, provisioner, sessionId, deps } = await readySession();
    expect(sessions.get(sessionId).engineView?.containers).toEqual([
      { name: "busybox1", networkMode: "bridge", running: true },
      { name: "busybox2", networkMode: "bridge", running: true },
    ]);
    provisioner.learnerCreates(sessionId, { name: "b0", networkMode: "container:busybox1" });
    expect(await refreshEngineView(deps, sessionId)).not.toBeNull();
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).toEqual(["busybox1", "busybox2", "b0"]);
  });

  it("writes nothing when the view did not change", async () => {
    const { sessions, sessionId, deps } = await readySession();
    const setEngineView = vi.spyOn(sessions, "setEngineView");
    expect(await refreshEngineView(deps, sessionId)).toBeNull();
    expect(setEngineView).not.toHaveBeenCalled();
  });

  it("leaves sessions that are not READY alone", async () => {
    const { sessions, provisioner, sessionId, deps } = await readySession();
    sessions.get(sessionId).status = Status.stopping;
    provisioner.learnerCreates(sessionId, { name: "late", networkMode: "none" });
    expect(await refreshEngineView(deps, sessionId)).toBeNull();
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).not.toContain("late");
    const queued = taskWorld();
    const other = queued.add();
    expect(await refreshEngineView(queued.deps, other.id)).toBeNull();
    expect(queued.sessions.get(other.id).engineView).toBeNull();
  });

  it("coalesces a flood of changes into one refresh per session, and follows a removal", async () => {
    const { sessions, provisioner, sessionId, deps } = await readySession();
    const refresher = createEngineViewRefresher(deps, { debounceMs: 20 });
    const reads = vi.spyOn(provisioner, "containerView");
    provisioner.learnerCreates(sessionId, { name: "b3", networkMode: "mynet" });
    for (let i = 0; i < 500; i++) refresher.touch(sessionId);
    await refresher.idle();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).toEqual(["busybox1", "busybox2", "b3"]);

    provisioner.removeContainer(sessionId, "b3");
    refresher.touch(sessionId);
    await refresher.idle();
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).toEqual(["busybox1", "busybox2"]);
    await refresher.stop();
  });

  it("a change heard while the session is being refreshed is refreshed again afterwards (nothing lost)", async () => {
    const { sessions, provisioner, sessionId, deps } = await readySession();
    const refresher = createEngineViewRefresher(deps, { debounceMs: 1 });
    const original = provisioner.containerView.bind(provisioner);
    let first = true;
    vi.spyOn(provisioner, "containerView").mockImplementation(async (id) => {
      const view = await original(id);
      if (first) {
        first = false;
        provisioner.learnerCreates(sessionId, { name: "during", networkMode: "bridge" });
        refresher.touch(sessionId);
      }
      return view;
    });
    refresher.touch(sessionId);
    await refresher.idle();
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).toContain("during");
    await refresher.stop();
  });

  it("one session's flood does not hold back another's refresh", async () => {
    const world = taskWorld();
    const a = world.add();
    const b = world.add();
    for (const s of [a, b]) await provisionSessionTask(world.deps).run(job({ sessionId: s.id }));
    const refresher = createEngineViewRefresher(world.deps, { debounceMs: 5, concurrency: 1 });
    const flood = setInterval(() => refresher.touch(a.id), 1);
    world.provisioner.learnerCreates(b.id, { name: "quiet", networkMode: "none" });
    refresher.touch(b.id);
    await vi.waitFor(() => expect(world.sessions.get(b.id).engineView?.containers?.map((c) => c.name)).toContain("quiet"), {
      timeout: 2_000,
    });
    clearInterval(flood);
    await refresher.stop();
  });

  it("refreshAll re-reads every READY session of this worker (after the engine's stream was re-established)", async () => {
    const { sessions, provisioner, sessionId, deps } = await readySession();
    const refresher = createEngineViewRefresher(deps, { debounceMs: 1 });
    provisioner.watch({ changed: () => {}, resynced: () => void refresher.refreshAll() });
    provisioner.setEngineDown(true);
    provisioner.setEngineDown(false);
    provisioner.learnerCreates(sessionId, { name: "missed", networkMode: "bridge" }); // heard by no one
    await refresher.refreshAll();
    await refresher.idle();
    expect(sessions.get(sessionId).engineView?.containers?.map((c) => c.name)).toContain("missed");
    await refresher.stop();
  });

  it("forgets sessions beyond its bound, and the next touch re-reads them all", async () => {
    const world = taskWorld();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = world.add();
      await provisionSessionTask(world.deps).run(job({ sessionId: s.id }));
      world.provisioner.learnerCreates(s.id, { name: "extra", networkMode: "none" });
      ids.push(s.id);
    }
    const refresher = createEngineViewRefresher(world.deps, { debounceMs: 5, maxPending: 1 });
    for (const id of ids) refresher.touch(id);
    await refresher.idle();
    refresher.touch(ids[0]!); // overflowed before: this touch re-reads every READY session
    await vi.waitFor(
      async () => {
        await refresher.idle();
        for (const id of ids) expect(world.sessions.get(id).engineView?.containers?.map((c) => c.name)).toContain("extra");
      },
      { timeout: 2_000 },
    );
    await refresher.stop();
  });

  it("tells its listeners of each changed view it writes (the session and the view), not of unchanged ones; a failing listener harms nothing", async () => {
    const { provisioner, sessionId, deps } = await readySession();
    const refresher = createEngineViewRefresher(deps, { debounceMs: 1 });
    const heard: { sessionId: string; names: string[] }[] = [];
    refresher.onEngineViewChanged(() => {
      throw new Error("a broken listener");
    });
    const off = refresher.onEngineViewChanged(
      (id, view) => void heard.push({ sessionId: id, names: (view.containers ?? []).map((c) => c.name) }),
    );
    refresher.touch(sessionId);
    await refresher.idle();
    expect(heard).toEqual([]);
    provisioner.learnerCreates(sessionId, { name: "heard", networkMode: "bridge" });
    refresher.touch(sessionId);
    await refresher.idle();
    await vi.waitFor(() => expect(heard).toEqual([{ sessionId, names: ["busybox1", "busybox2", "heard"] }]), { timeout: 2_000 });
    off();
    provisioner.removeContainer(sessionId, "heard");
    refresher.touch(sessionId);
    await refresher.idle();
    expect(heard).toHaveLength(1);
    await refresher.stop();
  });
});
