import { describe, expect, it } from "vitest";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { CheckRunner } from "../checks/runner";
import { checkStepTask } from "./checkStep";
import { gradingFixture } from "./testing/gradingDb";

/** A check thread that died under this request (worker/checks/pool.ts rejects what it held). */
const deadThread: CheckRunner = {
  run: () => Promise.reject(new Error("the check thread stopped (exit code 1)")),
  close: async () => {},
};

async function setup(status: string = Status.ready, checks?: CheckRunner) {
  const fixture = await gradingFixture(status);
  const task = checkStepTask({ ...fixture, ...(checks ? { checks } : {}) });
  const run = () =>
    task.run({
      id: "job",
      data: { sessionId: fixture.sessionId, stepId: "same-identity", runId: fixture.runId },
      retryCount: 0,
      retryLimit: 0,
    });
  return { ...fixture, run };
}

describe("the check task", () => {
  it("ends the run failed with each check's result when the learner's work is not there", async () => {
    const t = await setup();
    await t.run();
    expect(t.row()).toMatchObject({ status: RunStatus.failed, reason: null });
    expect((t.row().results as { checkId: string; passed: boolean }[]).map((r) => [r.checkId, r.passed])).toEqual([
      ["same-mac", false],
      ["same-ip", false],
    ]);
    expect(t.db.tables.checkResult.map((r) => r.passed)).toEqual([false, false]);
  });

  it("ends the run passed when every check holds", async () => {
    const t = await setup();
    t.provisioner.script(t.sessionId, "busybox2", ([, , line]) => ({
      exitCode: 0,
      output: line === "cat /tmp/mac" ? "02:42:ac:11:00:02\n" : "172.17.0.2\n",
    }));
    t.provisioner.script(t.sessionId, "busybox1", () => ({
      exitCode: 0,
      output: "eth0 Link encap:Ethernet  HWaddr 02:42:AC:11:00:02\n inet addr:172.17.0.2  Bcast",
    }));
    await t.run();
    expect(t.row().status).toBe(RunStatus.passed);
  });

  it("ends the run in error with the engine's reason when the provisioner throws, and records no result", async () => {
    const t = await setup();
    t.provisioner.setEngineDown(true);
    await t.run();
    expect(t.row().status).toBe(RunStatus.error);
    expect(t.row().reason).toMatch(/^in busybox2: lab host unavailable: cannot reach the container engine/);
    expect(t.db.tables.checkResult).toEqual([]);
  });

  it("ends the run in error, and the task (the worker) goes on, when its check thread dies", async () => {
    const t = await setup(Status.ready, deadThread);
    await t.run();
    expect(t.row()).toMatchObject({ status: RunStatus.error, reason: "the worker failed while running it; try again" });
    expect(t.db.tables.checkResult).toEqual([]);
  });

  it("ends the run in error, saying to start again, when the session's stored params cannot be read", async () => {
    const t = await setup();
    t.db.tables.labSession[0]!.params = { token: "not hex" };
    await t.run();
    expect(t.row()).toMatchObject({
      status: RunStatus.error,
      reason: "this session's stored lab cannot be read; stop it and start the lab again",
    });
  });

  // Labs are built by the learner: a container a check looks at may not exist (yet), which is theirs to fix.
  it("ends the run failed, each check saying which container is not there, when a probed container is gone", async () => {
    const t = await setup();
    t.provisioner.stopContainer(t.sessionId, "busybox2");
    await t.run();
    expect(t.row()).toMatchObject({ status: RunStatus.failed, reason: null });
    const results = t.row().results as { checkId: string; passed: boolean; message: string }[];
    expect(results.map((r) => [r.checkId, r.passed])).toEqual([
      ["same-mac", false],
      ["same-ip", false],
    ]);
    for (const r of results) expect(r.message).toMatch(/\(no running container busybox2\)$/);
  });

  it("ends the run in error, without touching the engine, when the session is not READY", async () => {
    const t = await setup(Status.stopping);
    t.provisioner.setEngineDown(true); // any engine call would be a different reason
    await t.run();
    expect(t.row()).toMatchObject({ status: RunStatus.error, reason: "the lab is not running any more (it is stopping)" });
  });

  it("does not run a run that has already ended (given up as stale)", async () => {
    const t = await setup();
    Object.assign(t.row(), { status: RunStatus.error, reason: "given up" });
    await t.run();
    expect(t.row()).toMatchObject({ status: RunStatus.error, reason: "given up" });
    expect(t.db.tables.checkResult).toEqual([]);
  });

  it("a job without a run id (queued by an older version) ends the runs waiting for its step", async () => {
    const t = await setup();
    const task = checkStepTask(t);
    await task.run({ id: "job", data: { sessionId: t.sessionId, stepId: "same-identity" }, retryCount: 0, retryLimit: 0 });
    expect(t.row().status).toBe(RunStatus.failed);
  });
});
