import { describe, expect, it } from "vitest";
import { Status } from "~/protocol/sessionStatus";
import { job, taskWorld } from "../../test/support/memorySessions";
import { reapSessionsTask } from "./reapSessions";

describe("the reap task", () => {
  it("asks every expired starting or running session to stop, and enqueues its teardown", async () => {
    const { sessions, add } = taskWorld();
    const now = new Date("2026-11-28T12:00:00Z");
    const past = new Date(now.getTime() - 1);
    const expired = [Status.queued, Status.provisioning, Status.ready].map((status) => add({ status, expiresAt: past }));
    const fresh = add({ status: Status.ready, expiresAt: new Date(now.getTime() + 60_000) });
    const failed = add({ status: Status.failed, expiresAt: past, statusReason: "it broke" });
    const stopping = add({ status: Status.stopping, expiresAt: past });

    await reapSessionsTask({ sessions, now: () => now }).run(job({}));

    for (const s of expired)
      expect(sessions.get(s.id)).toMatchObject({
        status: Status.stopping,
        statusReason: "The session expired; removing its containers",
      });
    expect(sessions.teardownsEnqueued.sort()).toEqual(expired.map((s) => s.id).sort());
    expect(sessions.get(fresh.id).status).toBe(Status.ready);
    expect(sessions.get(failed.id)).toMatchObject({ status: Status.failed, statusReason: "it broke" });
    expect(sessions.get(stopping.id).status).toBe(Status.stopping);
  });

  it("sweeps the check runs whose job died, on every run", async () => {
    const { sessions } = taskWorld();
    let sweeps = 0;
    const task = reapSessionsTask({ sessions, failStaleRuns: async () => ++sweeps });
    await task.run(job({}));
    await task.run(job({}));
    expect(sweeps).toBe(2);
  });
});
