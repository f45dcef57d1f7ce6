// Hints that unlock and solutions that are recorded, through the real path: Check presses →
// worker → CheckResult.failures → grading.progress (only the unlocked hints); revealSolution →
// SolutionReveal → NOTIFY → every subscriber's live progress; Submit → Submission.revealedSteps.
// The fixture lab bridge-basics: its check none-driver (step builtin-networks) has two hints.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { type Live, runOutcome, until } from "../support/live";
import { db, engine, learner, testWorker, waitForStatus } from "../support/harness";

type Learner = Awaited<ReturnType<typeof learner>>;
let worker: RunningWorker;
let owner: Learner, driver: Learner, viewer: Learner, stranger: Learner;
let sessionId: string;

const STEP = "builtin-networks";
const CHECK = "none-driver";
const HINTS = [
  "Look at the DRIVER column of the Networks panel.",
  "The none network's driver is the one whose name means nothing: null.",
];
const SOLUTION = "```sh host\necho null > /tmp/none-driver\n```\n";

async function join(who: Learner, role: "driver" | "viewer") {
  const { path } = await owner.api.session.share({ sessionId, role });
  await who.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
}

beforeAll(async () => {
  worker = await testWorker();
  [owner, driver, viewer, stranger] = await Promise.all([learner(), learner(), learner(), learner()]);
  sessionId = (await owner.api.session.start({ labSlug: "bridge-basics" })).id;
  await join(driver, "driver");
  await join(viewer, "viewer");
  await waitForStatus(sessionId, [Status.ready]);
  await listening();
});
afterAll(async () => {
  await worker?.stop();
  await engine.teardown(sessionId);
});

async function subscribe(as: Learner): Promise<Live> {
  return (await as.api.live.session({ sessionId }))[Symbol.asyncIterator]();
}
/**
 * Waits until this process's LISTEN connection is up: its first LISTEN sends every subscriber a
 * resync (the current state again). After that, an event a subscriber gets was pushed by a NOTIFY.
 */
async function listening() {
  const live = await subscribe(owner);
  try {
    let states = 0;
    await until(live, "the resync that follows the first LISTEN", (e) =>
      e.type === "session" && ++states === 2 ? true : undefined,
    );
  } finally {
    await live.return?.();
  }
}

const progressOf = (as: Learner = owner) => as.api.grading.progress({ sessionId });
const checkOf = (p: Awaited<ReturnType<typeof progressOf>>) =>
  p.steps.find((s) => s.id === STEP)!.checks.find((c) => c.id === CHECK)!;

/** Presses Check on the step as `as` and waits for that run's outcome on the push channel. */
async function pressCheck(live: Live, as: Learner = owner) {
  const { runId } = await as.api.grading.check({ sessionId, stepId: STEP });
  return until(live, `check run ${runId}'s outcome`, runOutcome(runId));
}

describe("hints", () => {
  it("none before a failure; the first after one failed Check, the second after two; a locked hint is never sent", async () => {
    const before = await progressOf();
    expect(checkOf(before)).toMatchObject({ hints: [], failures: 0, result: null });
    expect(JSON.stringify(before)).not.toContain(HINTS[0]);

    const live = await subscribe(owner);
    try {
      expect(await pressCheck(live)).toMatchObject({ status: RunStatus.failed });
      const one = await progressOf();
      expect(checkOf(one)).toMatchObject({ hints: [HINTS[0]], failures: 1, result: { passed: false } });
      expect(JSON.stringify(one)).not.toContain(HINTS[1]);
      // A viewer reads the same progress: what is unlocked, nothing more.
      expect(checkOf(await progressOf(viewer)).hints).toEqual([HINTS[0]]);

      expect(await pressCheck(live, driver)).toMatchObject({ status: RunStatus.failed });
      expect(checkOf(await progressOf())).toMatchObject({ hints: HINTS, failures: 2 });
      // A check of the same step with no hints stays with none; the other step's checks were not pressed.
      const after = await progressOf();
      expect(after.steps.flatMap((s) => s.checks.filter((c) => c.id !== CHECK).map((c) => [c.id, c.failures, c.hints]))).toEqual([
        ["my-ip", 0, []],
        ["my-mask", 0, []],
      ]);
    } finally {
      await live.return?.();
    }
  });
});

describe("solutions", () => {
  it("a step's solution is null until revealed, and neither a viewer nor a stranger can reveal or read it", async () => {
    const before = await progressOf();
    expect(before.steps.map((s) => [s.id, s.revealed, s.solution])).toEqual([
      [STEP, false, null],
      ["container-address", false, null],
    ]);
    expect(JSON.stringify(before)).not.toContain("echo null");

    await expect(viewer.api.grading.revealSolution({ sessionId, stepId: STEP })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Watchers cannot reveal solutions; the lab's owner or a driver can.",
    });
    await expect(stranger.api.grading.revealSolution({ sessionId, stepId: STEP })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This lab session does not exist or is not yours.",
    });
    await expect(owner.api.grading.revealSolution({ sessionId, stepId: "nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: `This lab has no step "nope". Steps: ${STEP}, container-address.`,
    });
    await expect(owner.api.grading.revealSolution({ sessionId, stepId: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().solutionReveal.count({ where: { sessionId } })).toBe(0);
  });

  it("a driver's reveal answers the solution, is recorded once (the first kept) and reaches a second subscriber live", async () => {
    const watching = await subscribe(viewer); // the second page: a viewer's
    try {
      const hidden = await until(watching, "the viewer's current progress", (e) =>
        e.type === "progress" ? e.progress : undefined,
      );
      expect(hidden.steps[0]!.solution).toBeNull();

      await expect(driver.api.grading.revealSolution({ sessionId, stepId: STEP })).resolves.toEqual({ solution: SOLUTION });
      const shown = await until(
        watching,
        "the reveal pushed to the viewer",
        (e) => (e.type === "progress" && e.progress.steps[0]!.revealed ? e.progress : undefined),
        10_000,
      );
      expect(shown.steps.map((s) => [s.id, s.revealed, s.solution])).toEqual([
        [STEP, true, SOLUTION],
        ["container-address", false, null],
      ]);

      await expect(owner.api.grading.revealSolution({ sessionId, stepId: STEP })).resolves.toEqual({ solution: SOLUTION });
      const rows = await db().solutionReveal.findMany({ where: { sessionId } });
      expect(rows).toEqual([{ sessionId, stepId: STEP, userId: driver.id, createdAt: expect.any(Date) }]);
    } finally {
      await watching.return?.();
    }
    // The stranger cannot read it through progress either.
    await expect(stranger.api.grading.progress({ sessionId })).rejects.toThrow(/does not exist or is not yours/);
  });

  it("a submission after the reveal records the revealed step; its failed results unlock no hint", async () => {
    const live = await subscribe(owner);
    try {
      const { runId } = await owner.api.grading.submit({ sessionId });
      expect(await until(live, "the submission's outcome", runOutcome(runId), 60_000)).toMatchObject({ kind: "submit" });
      const progress = await progressOf();
      expect(progress.submissions.map((s) => [s.id, s.revealedSteps])).toEqual([[runId, [STEP]]]);
      expect(checkOf(progress)).toMatchObject({ failures: 2, result: { passed: false } });
      expect((await db().submission.findUniqueOrThrow({ where: { id: runId } })).revealedSteps).toEqual([STEP]);
    } finally {
      await live.return?.();
    }
  });
});
