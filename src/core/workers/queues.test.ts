import { describe, expect, it } from "vitest";
import { jobs } from "~/core/jobs/definitions";
import { queueName, WORKER_QUEUE_JOBS } from "./queues";

describe("queueName", () => {
  it("is the job's shared queue without a worker, and the worker's own queue with one", () => {
    expect(queueName("provisionSession", null)).toBe("session-provision");
    expect(queueName("provisionSession", "lab-host.1")).toBe("session-provision/lab-host.1");
    expect(queueName("checkStep", "w_2")).toBe(`${jobs.checkStep.name}/w_2`);
  });

  it("gives a worker its own queue for every job about a session it runs, and none for the reaper", () => {
    expect([...WORKER_QUEUE_JOBS].sort()).toEqual([
      "checkStep",
      "provisionSession",
      "sessionLinks",
      "submitSession",
      "teardownSession",
    ]);
    expect(WORKER_QUEUE_JOBS).not.toContain("reapSessions");
  });
});
