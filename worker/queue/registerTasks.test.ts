import { describe, expect, it } from "vitest";
import { queuesOf } from "./registerTasks";

const task = (job: Parameters<typeof queuesOf>[0]["job"]) => ({ job, run: async () => {} });

describe("queuesOf", () => {
  it("works a session's jobs on the shared queue and on this worker's own", () => {
    expect(queuesOf(task("provisionSession"), "w1")).toEqual(["session-provision", "session-provision/w1"]);
    expect(queuesOf(task("teardownSession"), "w1")).toEqual(["session-teardown", "session-teardown/w1"]);
    expect(queuesOf(task("checkStep"), "w1")).toEqual(["session-check-stately", "session-check-stately/w1"]);
    expect(queuesOf(task("submitSession"), "w1")).toEqual(["session-submit-exclusive", "session-submit-exclusive/w1"]);
  });

  it("works the reaper on the shared queue only", () => {
    expect(queuesOf(task("reapSessions"), "w1")).toEqual(["session-reap"]);
  });
});
