// Check and Submit through the real path: tRPC → queue → worker → checks in the containers →
// results and immutable submissions in PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningWorker } from "../../worker/app";
import { db, engine, eventually, learner, satisfying, testWorker, waitForStatus } from "../support/harness";

let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "joined" })).id;
  await waitForStatus(sessionId, ["READY"]);
});
afterAll(async () => {
  await worker?.stop();
  await engine.teardown(sessionId);
});

const progress = () => owner.api.grading.progress({ sessionId });
const run = (container: string, command: string) => engine.run(sessionId, container, ["sh", "-c", command]);

it("checks a step from live state, keeps a passed step passed, and records immutable submissions", async () => {
  const start = await progress();
  expect(start.steps.map((s) => s.id)).toEqual(["same-identity", "shared-localhost"]);
  expect(start.totalPoints).toBe(6);
  const token = (await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).params as { token: string };
  expect(start.steps[1]!.instructions).toContain(`echo ${token.token} >`);
  expect(start.engine?.networks.map((n) => n.name)).toEqual(["bridge", "host", "none"]);

  await owner.api.grading.check({ sessionId, stepId: "same-identity" });
  const failed = await eventually(
    "results of both checks",
    satisfying(progress, (p) => p.steps[0]!.checks.every((c) => c.result)),
  );
  expect(failed.steps[0]!.checks.map((c) => c.result?.passed)).toEqual([false, false]);
  expect(failed.steps[0]!.checks[0]!.result?.message).toMatch(/\/tmp\/mac in busybox2 does not hold busybox1's MAC/);

  await run(
    "busybox2",
    "ifconfig eth0 | sed -n 's/.*HWaddr //p' > /tmp/mac; ifconfig eth0 | sed -n 's/.*inet addr:\\([0-9.]*\\).*/\\1/p' > /tmp/ip",
  );
  await owner.api.grading.check({ sessionId, stepId: "same-identity" });
  const passed = await eventually(
    "the step to pass",
    satisfying(progress, (p) => p.steps[0]!.passed),
  );
  expect(passed.steps[0]!.checks.map((c) => c.result?.passed)).toEqual([true, true]);

  // Undo the work: the checks fail now, but the step stays passed.
  await run("busybox2", "rm /tmp/mac /tmp/ip");
  await owner.api.grading.check({ sessionId, stepId: "same-identity" });
  const undone = await eventually(
    "both checks to fail again",
    satisfying(progress, (p) => p.steps[0]!.checks.every((c) => c.result?.passed === false)),
  );
  expect(undone.steps[0]!.passed).toBe(true);

  const first = await owner.api.grading.submit({ sessionId });
  const one = await eventually(
    "the first submission",
    satisfying(progress, (p) => p.submissions.length === 1),
  );
  expect(one.submissions[0]).toMatchObject({ id: first.runId, attempt: 1, score: 4, maxScore: 6 });

  await run("busybox1", `mkdir -p /tmp/www && echo ${token.token} > /tmp/www/index.html && httpd -p 127.0.0.1:8080 -h /tmp/www`);
  // Submissions of a session are 10 s apart at least: the first one is made older instead of waiting.
  await db().submission.update({ where: { id: first.runId }, data: { createdAt: new Date(Date.now() - 60_000) } });
  await owner.api.grading.submit({ sessionId });
  const two = await eventually(
    "the second submission",
    satisfying(progress, (p) => p.submissions.length === 2),
  );
  expect(two.submissions.map((s) => [s.attempt, s.score])).toEqual([
    [1, 4],
    [2, 6],
  ]);
  const stored = await db().submission.findUniqueOrThrow({ where: { id: first.runId } });
  expect(stored.score).toBe(4); // the first attempt is unchanged
});

it("refuses checks from watchers and submissions from anyone but the owner, and unknown steps", async () => {
  const watcher = await learner();
  const { path } = await owner.api.session.share({ sessionId, role: "viewer" });
  await watcher.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
  await expect(watcher.api.grading.check({ sessionId, stepId: "same-identity" })).rejects.toThrow(/Watchers cannot run checks/);
  await expect(watcher.api.grading.submit({ sessionId })).rejects.toThrow(/Only the learner who started this lab can submit it/);
  await expect(owner.api.grading.check({ sessionId, stepId: "nope" })).rejects.toThrow(/no step "nope"/);
  const stranger = await learner();
  await expect(stranger.api.grading.progress({ sessionId })).rejects.toThrow(/does not exist or is not yours/);
});
