// When the Docker engine cannot be reached, the provision job fails after its bounded retries
// and the session says why, so the page stops waiting.
import { afterAll, beforeAll, expect, it } from "vitest";
import { jobs } from "~/core/jobs/definitions";
import type { RunningWorker } from "../../worker/app";
import { db, eventually, learner, satisfying, testWorker, waitForStatus } from "../support/harness";

let worker: RunningWorker;

beforeAll(async () => {
  worker = await testWorker({ DOCKER_HOST: "unix:///nonexistent/wireroom-test/docker.sock" });
});
afterAll(async () => {
  await worker?.stop();
});

it("marks the session FAILED with 'lab host unavailable' after the retries", async () => {
  const alice = await learner();
  const session = await alice.api.session.start({ labSlug: "bridge-basics" });
  const failed = await waitForStatus(session.id, ["FAILED", "READY"]);
  expect(failed.status).toBe("FAILED");
  expect(failed.statusReason).toMatch(/^lab host unavailable: cannot reach the Docker engine/);

  // The queue records the job's end just after the task wrote the session's.
  const readJob = async () =>
    (
      await db().$queryRawUnsafe<{ retry_count: number; state: string }[]>(
        `select retry_count, state from pgboss.job where name = $1 and data->>'sessionId' = $2`,
        jobs.provisionSession.name,
        session.id,
      )
    )[0];
  const job = await eventually(
    "the provision job to end",
    satisfying(readJob, (j) => j !== undefined && !["created", "retry", "active"].includes(j.state)),
  );
  expect(job!.retry_count).toBe(jobs.provisionSession.queue.retryLimit);
  expect(job!.state).toBe("completed");

  const view = await alice.api.session.get({ sessionId: session.id });
  expect(view.status).toBe("FAILED");
  expect(view.statusReason).toContain("lab host unavailable");
});
