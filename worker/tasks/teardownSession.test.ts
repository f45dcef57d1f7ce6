import { describe, expect, it } from "vitest";
import { LabHostUnavailableError } from "~/core/provisioner/port";
import { Status } from "~/protocol/sessionStatus";
import { job, taskWorld } from "../../test/support/memorySessions";
import { teardownSessionTask } from "./teardownSession";

function hub() {
  const closed: { sessionId: string; reason: string }[] = [];
  return { closed, closeSession: async (sessionId: string, reason: string) => void closed.push({ sessionId, reason }) };
}

describe("the teardown task", () => {
  it("closes the session's terminals, removes its objects and marks it STOPPED", async () => {
    const { sessions, provisioner, add } = taskWorld();
    const session = add({ status: Status.stopping });
    await provisioner.provision({ sessionId: session.id, networks: [], containers: [], labDns: false });
    const terminals = hub();
    await teardownSessionTask({ sessions, provisioner, hub: terminals }).run(job({ sessionId: session.id }));
    expect(terminals.closed).toEqual([{ sessionId: session.id, reason: "the lab was stopped" }]);
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
    expect(sessions.get(session.id)).toMatchObject({ status: Status.stopped, statusReason: null });
  });

  it("is idempotent: a second run finds nothing to remove and the session stays STOPPED", async () => {
    const { sessions, provisioner, add } = taskWorld();
    const session = add({ status: Status.stopping });
    const task = teardownSessionTask({ sessions, provisioner, hub: hub() });
    await task.run(job({ sessionId: session.id }));
    await task.run(job({ sessionId: session.id }));
    expect(sessions.get(session.id).status).toBe(Status.stopped);
  });

  it("when the engine fails, says it is retrying, then on the last attempt that it could not remove the lab", async () => {
    const { sessions, provisioner, add } = taskWorld();
    const session = add({ status: Status.stopping });
    const task = teardownSessionTask({ sessions, provisioner, hub: hub() });
    provisioner.setEngineDown(true);
    await expect(task.run(job({ sessionId: session.id }, { retryCount: 0, retryLimit: 5 }))).rejects.toBeInstanceOf(
      LabHostUnavailableError,
    );
    expect(sessions.get(session.id)).toMatchObject({
      status: Status.stopping,
      statusReason: expect.stringMatching(/^Removing the lab \(retrying: lab host unavailable/),
    });
    await expect(task.run(job({ sessionId: session.id }, { retryCount: 5, retryLimit: 5 }))).rejects.toBeInstanceOf(
      LabHostUnavailableError,
    );
    expect(sessions.get(session.id).statusReason).toMatch(/^Could not remove the lab: lab host unavailable/);
  });
});
