// Check and Submit with request ids, and the push channel, through the real path: tRPC → queue →
// worker → containers → CheckRun in PostgreSQL → NOTIFY (triggers) → the web process's one LISTEN
// connection → the session's subscribers.
import { afterAll, beforeAll, expect, it } from "vitest";
import * as trpcRoute from "~/app/api/trpc/[trpc]/route";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import { type Live, runOutcome, until } from "../support/live";
import type { RunningWorker } from "../../worker/app";
import { RUN_LIFETIME_S } from "~/core/grading/failStaleRuns";
import { db, engine, learner, testWorker, waitForStatus, within } from "../support/harness";

let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
const sessions: string[] = [];

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "joined" })).id;
  sessions.push(sessionId);
  await waitForStatus(sessionId, [Status.ready]);
});
afterAll(async () => {
  await worker?.stop();
  for (const id of sessions) await engine.teardown(id);
});

async function subscribe(as = owner, id = sessionId): Promise<Live> {
  const iterable = await as.api.live.session({ sessionId: id });
  return iterable[Symbol.asyncIterator]();
}

it("a Check returns a run id that the push channel resolves to failed, then passed, with the results", async () => {
  const live = await subscribe();
  try {
    const first = await owner.api.grading.check({ sessionId, stepId: "same-identity" });
    expect(first.runId).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await until(live, "the first run's outcome", runOutcome(first.runId));
    expect(failed).toMatchObject({ status: RunStatus.failed, reason: null, stepId: "same-identity" });

    await engine.run(sessionId, "busybox2", [
      "sh",
      "-c",
      "ifconfig eth0 | sed -n 's/.*HWaddr //p' > /tmp/mac; ifconfig eth0 | sed -n 's/.*inet addr:\\([0-9.]*\\).*/\\1/p' > /tmp/ip",
    ]);
    const second = await owner.api.grading.check({ sessionId, stepId: "same-identity" });
    expect(second.runId).not.toBe(first.runId);
    expect(await until(live, "the second run's outcome", runOutcome(second.runId))).toMatchObject({ status: RunStatus.passed });
    const progress = await owner.api.grading.progress({ sessionId });
    expect(progress.steps[0]!.checks.map((c) => c.result?.passed)).toEqual([true, true]);
  } finally {
    await live.return?.();
  }
});

it("a Check whose probe cannot finish (the learner made /tmp/mac a FIFO) ends in error with the reason, and changes no result", async () => {
  // `cat /tmp/mac` blocks forever on a FIFO: the engine's exec times out after 5 s.
  await engine.run(sessionId, "busybox2", ["sh", "-c", "rm -f /tmp/mac && mkfifo /tmp/mac"]);
  const before = await owner.api.grading.progress({ sessionId });
  const live = await subscribe();
  try {
    const { runId } = await owner.api.grading.check({ sessionId, stepId: "same-identity" });
    const run = await until(live, "the run's outcome", runOutcome(runId));
    expect(run.status).toBe(RunStatus.error);
    expect(run.reason).toBe("in busybox2: sh -c cat /tmp/mac did not finish within 5000 ms");
    const after = await owner.api.grading.progress({ sessionId });
    expect(after.steps[0]!.checks.map((c) => c.result?.message)).toEqual(before.steps[0]!.checks.map((c) => c.result?.message));
  } finally {
    await live.return?.();
    await engine.run(sessionId, "busybox2", ["sh", "-c", "rm -f /tmp/mac"]);
  }
});

it("a Submit returns a run id that resolves once its Submission is written (same id)", async () => {
  const live = await subscribe();
  try {
    const { runId } = await owner.api.grading.submit({ sessionId });
    const run = await until(live, "the submit's outcome", runOutcome(runId), 60_000);
    expect(run.kind).toBe("submit");
    expect([RunStatus.passed, RunStatus.failed]).toContain(run.status);
    const progress = await owner.api.grading.progress({ sessionId });
    expect(progress.submissions.at(-1)?.id).toBe(runId);
  } finally {
    await live.return?.();
  }
});

it("a subscriber hears the worker change a session's status (NOTIFY from the database), current state first", async () => {
  const id = (await owner.api.session.start({ labSlug: "none" })).id;
  sessions.push(id);
  const live = await subscribe(owner, id);
  try {
    const first = await within(live.next(), 10_000, "the current state");
    expect(first.value?.type).toBe("session"); // the current state comes first, whatever it is
    const ready = await until(live, "READY pushed by the worker's write", (e) =>
      e.type === "session" && e.session.status === Status.ready ? e.session : undefined,
    );
    expect(ready.id).toBe(id);
    await owner.api.session.stop({ sessionId: id });
    await until(live, "STOPPED pushed by the worker's teardown", (e) =>
      e.type === "session" && e.session.status === Status.stopped ? true : undefined,
    );
  } finally {
    await live.return?.();
  }
});

it("a run whose job died with the task never ending it ends in error when the page (re)subscribes", async () => {
  // As if a worker had claimed it and stopped: running, and older than its job can live.
  const createdAt = new Date(Date.now() - (RUN_LIFETIME_S.check + 5) * 1000);
  const dead = await db().checkRun.create({
    data: {
      sessionId,
      kind: "check",
      stepId: "same-identity",
      requestedBy: owner.id,
      status: RunStatus.running,
      createdAt,
      startedAt: createdAt,
    },
  });
  const live = await subscribe();
  try {
    const run = await until(live, "the dead run in the current state", (e) =>
      e.type === "runs" ? e.runs.find((r) => r.id === dead.id) : undefined,
    );
    expect(run.status).toBe(RunStatus.error);
    expect(run.reason).toBe(`it did not finish within ${RUN_LIFETIME_S.check} s (the worker may have stopped); try again`);
  } finally {
    await live.return?.();
  }
});

it("refuses a subscription to someone else's session as session.get does (NOT_FOUND), through the caller and over HTTP", async () => {
  const stranger = await learner();
  await expect(stranger.api.live.session({ sessionId })).rejects.toMatchObject({
    code: "NOT_FOUND",
    message: expect.stringMatching(/does not exist or is not yours/),
  });
  await expect(stranger.api.session.get({ sessionId })).rejects.toMatchObject({ code: "NOT_FOUND" });

  const url = new URL("/api/trpc/live.session", "http://127.0.0.1:3000");
  url.searchParams.set("input", JSON.stringify({ json: { sessionId } }));
  const res = await trpcRoute.GET(new Request(url, { headers: { cookie: stranger.cookie, accept: "text/event-stream" } }));
  const body = await within(res.text(), 10_000, "the refused stream to end");
  expect(body).toContain("does not exist or is not yours");
  expect(body).not.toContain(sessionId.slice(0, 8) + '"'); // nothing of the session is sent
});
