import { describe, expect, it } from "vitest";
import type { Lab } from "~/core/labs/schema";
import { Status } from "~/protocol/sessionStatus";
import { dashboardSession, latestPerPair, stepStanding } from "./dashboardRow";

// stepStanding reads only the steps' ids, titles and their checks' ids.
const l = {
  steps: [
    { id: "one", title: "First", checks: [{ id: "a" }, { id: "b" }] },
    { id: "two", title: "Second", checks: [{ id: "c" }] },
  ],
} as unknown as Lab;

describe("stepStanding", () => {
  it("counts checks that ever passed, and names the first step not fully passed", () => {
    expect(stepStanding(l, new Set())).toEqual({ currentStep: { id: "one", title: "First" }, checksPassed: 0, checksTotal: 3 });
    expect(stepStanding(l, new Set(["a", "c"]))).toEqual({
      currentStep: { id: "one", title: "First" },
      checksPassed: 2,
      checksTotal: 3,
    });
    expect(stepStanding(l, new Set(["a", "b"]))).toEqual({
      currentStep: { id: "two", title: "Second" },
      checksPassed: 2,
      checksTotal: 3,
    });
    expect(stepStanding(l, new Set(["a", "b", "c"]))).toEqual({ currentStep: null, checksPassed: 3, checksTotal: 3 });
    expect(stepStanding(undefined, new Set())).toEqual({ currentStep: null, checksPassed: 0, checksTotal: 0 });
  });
});

describe("dashboardSession", () => {
  it("keeps the best score, the help flag and the times", () => {
    const at = new Date();
    const row = dashboardSession(
      { id: "s1", status: Status.ready, lastActivityAt: at, expiresAt: at, helpRequestedAt: at, helpMessage: "stuck" },
      undefined,
      new Set(),
      [
        { score: 2, maxScore: 5 },
        { score: 4, maxScore: 5 },
        { score: 3, maxScore: 5 },
      ],
    );
    expect(row).toMatchObject({
      sessionId: "s1",
      best: { score: 4, maxScore: 5 },
      help: { raisedAt: at, message: "stuck" },
      lastActivityAt: at,
      inProgress: false,
      isSettled: false,
    });
    expect(
      dashboardSession({ ...row, id: "s2", helpRequestedAt: null, helpMessage: null }, undefined, new Set(), []),
    ).toMatchObject({
      best: null,
      help: null,
    });
  });
});

describe("latestPerPair", () => {
  it("keeps the newest session of each learner × assignment, and skips sessions without an assignment", () => {
    const t = (s: number) => new Date(s * 1000);
    const latest = latestPerPair([
      { id: "old", ownerId: "u", assignmentId: "a", createdAt: t(1) },
      { id: "new", ownerId: "u", assignmentId: "a", createdAt: t(2) },
      { id: "other", ownerId: "v", assignmentId: "a", createdAt: t(1) },
      { id: "alone", ownerId: "u", assignmentId: null, createdAt: t(3) },
    ]);
    expect([...latest.entries()].map(([k, v]) => [k, v.id])).toEqual([
      ["u:a", "new"],
      ["v:a", "other"],
    ]);
  });
});
