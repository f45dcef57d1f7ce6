import { describe, expect, it } from "vitest";
import { labHashOf } from "~/core/labs/sessionLab";
import { LabHostUnavailableError, SpecError } from "~/core/provisioner/port";
import { Status } from "~/protocol/sessionStatus";
import { job, taskWorld, twoContainerLab, WORKER } from "../../test/support/memorySessions";
import { provisionSessionTask } from "./provisionSession";

describe("the provision task", () => {
  it("starts the session's lab, claims it for this worker and makes it READY with the engine's view", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    await provisionSessionTask(deps).run(job({ sessionId: session.id, labHash: session.labHash }));
    expect(sessions.get(session.id)).toMatchObject({ status: Status.ready, statusReason: null, workerId: WORKER });
    expect(sessions.get(session.id).engineView?.networks.map((n) => n.name)).toEqual(["bridge", "host", "none"]);
    expect((await provisioner.listSessionObjects(session.id)).containers).toEqual(
      ["busybox1", "busybox2", "host"].map((name) => `fake-${session.id}-${name}`),
    );
  });

  it("provisions the lab stored on the session, not what the catalog says now", async () => {
    const { provisioner, add, deps } = taskWorld();
    const edited = {
      ...twoContainerLab,
      containers: [{ ...twoContainerLab.containers[0]!, name: "renamed" }],
      defaultTerminal: "renamed",
    };
    const session = add({ labSlug: "network-modes", lab: edited, labHash: labHashOf(edited) });
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect((await provisioner.inspectContainer(session.id, "renamed"))?.running).toBe(true);
  });

  it("retries an engine failure (the job throws, the reason says which attempt), then succeeds", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    provisioner.failNextProvisions(1);
    const task = provisionSessionTask(deps);
    await expect(task.run(job({ sessionId: session.id }, { retryCount: 0, retryLimit: 2 }))).rejects.toBeInstanceOf(
      LabHostUnavailableError,
    );
    expect(sessions.get(session.id)).toMatchObject({
      status: Status.provisioning,
      statusReason: expect.stringMatching(/^Attempt 1 of 3 failed \(lab host unavailable.*\); retrying$/),
    });
    await task.run(job({ sessionId: session.id }, { retryCount: 1, retryLimit: 2 }));
    expect(sessions.get(session.id).status).toBe(Status.ready);
  });

  it("marks the session FAILED on the final attempt, with the engine's reason, and leaves nothing behind", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    provisioner.failNextProvisions(1);
    await provisionSessionTask(deps).run(job({ sessionId: session.id }, { retryCount: 2, retryLimit: 2 }));
    expect(sessions.get(session.id)).toMatchObject({
      status: Status.failed,
      statusReason: expect.stringMatching(/lab host unavailable/),
    });
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
  });

  it("does not retry a SpecError: the first attempt marks the session FAILED", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    provisioner.failNextProvisions(1, new SpecError("this lab asks for too much"));
    await provisionSessionTask(deps).run(job({ sessionId: session.id }, { retryCount: 0, retryLimit: 2 }));
    expect(sessions.get(session.id)).toMatchObject({ status: Status.failed, statusReason: "this lab asks for too much" });
  });

  it("tears down what it made when the session was stopped while it provisioned", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    sessions.beforeMove = (move, id) => {
      if (move === "ready") sessions.get(id).status = Status.stopping; // the learner pressed Stop meanwhile
    };
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect(sessions.get(session.id).status).toBe(Status.stopping);
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
  });

  it("keeps the containers when another provision already made the session READY", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    sessions.beforeMove = (move, id) => {
      if (move === "ready") sessions.get(id).status = Status.ready;
    };
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect(await provisioner.listSessionsWithObjects()).toEqual([session.id]);
  });

  it("does nothing for a session placed on another worker (a stale job): no claim, no container", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    for (const status of [Status.queued, Status.provisioning]) {
      const moved = add({ status, workerId: "another-worker", statusReason: "Its lab host w-old stopped answering" });
      await provisionSessionTask(deps).run(job({ sessionId: moved.id, labHash: moved.labHash }));
      expect(sessions.get(moved.id)).toMatchObject({
        status,
        workerId: "another-worker",
        statusReason: "Its lab host w-old stopped answering",
      });
    }
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
    // Placed on this worker: provisioned as usual.
    const mine = add({ workerId: WORKER });
    await provisionSessionTask(deps).run(job({ sessionId: mine.id }));
    expect(sessions.get(mine.id)).toMatchObject({ status: Status.ready, workerId: WORKER });
  });

  it("claims only a session that is still its own or no one's: one moved elsewhere after it was read is left there", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    sessions.beforeMove = (move, id) => {
      // The sweep placed it on another worker between this job's read and its claim.
      if (move === "claim") sessions.get(id).workerId = "another-worker";
    };
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect(sessions.get(session.id)).toMatchObject({ status: Status.queued, workerId: "another-worker" });
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
  });

  it("does not mark READY (or FAILED) a session placed on another worker while it was provisioning (it went quiet and was swept)", async () => {
    const { sessions, add, deps } = taskWorld();
    const session = add();
    sessions.beforeMove = (move, id) => {
      // The others' sweep moved it after this worker claimed it, before its provision finished.
      if (move === "ready") Object.assign(sessions.get(id), { workerId: "another-worker", statusReason: "moved" });
    };
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect(sessions.get(session.id)).toMatchObject({
      status: Status.provisioning,
      workerId: "another-worker",
      statusReason: "moved",
    });
  });

  it("runs one provision per session in a process: a second job while the first runs (shared and own queue) does nothing", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add();
    let provisions = 0;
    const provision = provisioner.provision.bind(provisioner);
    provisioner.provision = async (spec) => {
      provisions++;
      return provision(spec);
    };
    await Promise.all([
      provisionSessionTask(deps).run(job({ sessionId: session.id })),
      provisionSessionTask(deps).run(job({ sessionId: session.id })),
    ]);
    expect(provisions).toBe(1);
    expect(sessions.get(session.id).status).toBe(Status.ready);
  });

  it("leaves a session that is no longer starting alone", async () => {
    const { sessions, provisioner, add, deps } = taskWorld();
    const session = add({ status: Status.stopped });
    await provisionSessionTask(deps).run(job({ sessionId: session.id }));
    expect(sessions.get(session.id).status).toBe(Status.stopped);
    expect(await provisioner.listSessionsWithObjects()).toEqual([]);
  });

  it("fails a session whose stored lab is not the one its start queued, or is malformed, naming it", async () => {
    const { sessions, add, deps } = taskWorld();
    const other = add();
    await provisionSessionTask(deps).run(job({ sessionId: other.id, labHash: "0".repeat(64) }));
    expect(sessions.get(other.id)).toMatchObject({
      status: Status.failed,
      statusReason: expect.stringMatching(/is not the one its start queued/),
    });
    const malformed = add({ lab: { slug: "x" }, labHash: labHashOf({ slug: "x" }) });
    await provisionSessionTask(deps).run(job({ sessionId: malformed.id }));
    expect(sessions.get(malformed.id)).toMatchObject({
      status: Status.failed,
      statusReason: expect.stringMatching(`session ${malformed.id} has a malformed stored lab`),
    });
  });
});
