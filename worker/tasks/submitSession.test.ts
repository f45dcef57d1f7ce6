import { describe, expect, it } from "vitest";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { CheckRunner } from "../checks/runner";
import { submitSessionTask } from "./submitSession";
import { gradingFixture } from "./testing/gradingDb";

async function setup(status: string = Status.ready, options: { reveals?: string[]; checks?: CheckRunner } = {}) {
  const fixture = await gradingFixture(status, options);
  const task = submitSessionTask({ ...fixture, ...(options.checks ? { checks: options.checks } : {}) });
  const data = { sessionId: fixture.sessionId, userId: "u1", requestId: fixture.runId };
  const attempt = (retryCount = 0) => task.run({ id: "job", data, retryCount, retryLimit: 2 });
  return { ...fixture, attempt };
}

describe("the submit task", () => {
  it("writes one Submission whose id is the run's, and ends the run", async () => {
    const t = await setup();
    await t.attempt();
    expect(t.db.tables.submission).toHaveLength(1);
    expect(t.db.tables.submission[0]).toMatchObject({ id: t.runId, attempt: 1, score: 0, maxScore: 6 });
    expect(t.row().status).toBe(RunStatus.failed);
  });

  it("a check thread that dies is retried by the queue; its last attempt ends the run in error, with no Submission", async () => {
    const checks: CheckRunner = {
      run: () => Promise.reject(new Error("the check thread stopped (exit code 1)")),
      close: async () => {},
    };
    const t = await setup(Status.ready, { checks });
    await expect(t.attempt(0)).rejects.toThrow("the check thread stopped");
    expect(t.row().status).not.toBe(RunStatus.error);
    await t.attempt(2);
    expect(t.row()).toMatchObject({ status: RunStatus.error, reason: "the worker failed while running it; try again" });
    expect(t.db.tables.submission).toEqual([]);
  });

  it("records the steps revealed before it, in the lab's order, and none when none was", async () => {
    const t = await setup(Status.ready, { reveals: ["shared-localhost", "same-identity"] });
    await t.attempt();
    expect(t.db.tables.submission[0]).toMatchObject({ revealedSteps: ["same-identity", "shared-localhost"] });
    const plain = await setup();
    await plain.attempt();
    expect(plain.db.tables.submission[0]).toMatchObject({ revealedSteps: [] });
  });

  it("its failed results unlock no hint (only Check presses count failures)", async () => {
    const t = await setup();
    await t.attempt();
    expect(t.db.tables.checkResult.map((r) => [r.passed, r.failures])).toEqual([
      [false, 0],
      [false, 0],
      [false, 0],
    ]);
  });

  it("is idempotent: a retried job adds no second attempt and leaves the run's outcome", async () => {
    const t = await setup();
    await t.attempt();
    const ended = { ...t.row() };
    await t.attempt(1);
    expect(t.db.tables.submission).toHaveLength(1);
    expect(t.row()).toEqual(ended);
  });

  it("leaves an engine error to the queue's retry, and ends the run in error on the last attempt", async () => {
    const t = await setup();
    t.provisioner.setEngineDown(true);
    await expect(t.attempt(0)).rejects.toThrow(/lab host unavailable/);
    expect(t.row().status).toBe(RunStatus.running);
    await t.attempt(2);
    expect(t.row().status).toBe(RunStatus.error);
    expect(t.row().reason).toMatch(/lab host unavailable/);
    expect(t.db.tables.submission).toEqual([]);
  });

  it("has the check task's READY guard: a stopped session's run ends in error at once, ungraded", async () => {
    const t = await setup(Status.stopped);
    await t.attempt(0);
    expect(t.row()).toMatchObject({ status: RunStatus.error, reason: "the lab is not running any more (it is stopped)" });
    expect(t.db.tables.submission).toEqual([]);
  });
});
