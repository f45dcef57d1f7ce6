// Who may reveal a step's solution, what is recorded, and what is answered.
import { describe, expect, it } from "vitest";
import type { Db } from "~/core/db";
import { labSchema, type Lab } from "~/core/labs/schema";
import { NO_STORED_SOLUTION, sessionLabColumns } from "~/core/labs/sessionLab";
import { revealSolution } from "./revealSolution";

const SESSION = "00000000-0000-4000-8000-000000000001";
const lab = labSchema.parse({
  slug: "revealing",
  title: "Revealing",
  summary: "One step with a solution.",
  estimatedMinutes: 5,
  defaultTerminal: "host",
  steps: [
    {
      id: "write",
      title: "Write",
      instructions: "Write your token to /tmp/t.",
      solution: "```sh host\necho {{token}} > /tmp/t\n```",
      checks: [{ id: "b", kind: "network", name: "bridge", description: "d", points: 1, failure: "f" }],
    },
  ],
});

/** The two calls revealSolution makes: the session with the user's membership, and the reveal's insert (ON CONFLICT DO NOTHING). */
function fakeDb(members: Record<string, "DRIVER" | "VIEWER">, stored: Lab = lab) {
  const reveals: { sessionId: string; stepId: string; userId: string }[] = [];
  const session = {
    id: SESSION,
    ownerId: "owner",
    labSlug: lab.slug,
    params: { token: "0badc0de" },
    ...sessionLabColumns(stored),
  };
  const db = {
    labSession: {
      findUnique: async ({ where, include }: { where: { id: string }; include: { members: { where: { userId: string } } } }) => {
        if (where.id !== SESSION) return null;
        const role = members[include.members.where.userId];
        return { ...session, members: role ? [{ role }] : [] };
      },
    },
    solutionReveal: {
      createMany: async ({ data }: { data: (typeof reveals)[number][] }) => {
        const fresh = data.filter((d) => !reveals.some((r) => r.sessionId === d.sessionId && r.stepId === d.stepId));
        reveals.push(...fresh);
        return { count: fresh.length };
      },
    },
  };
  return { db: db as unknown as Db, reveals };
}

const reveal = (db: Db, userId: string, stepId = "write", sessionId = SESSION) =>
  revealSolution({ db, userId, sessionId, stepId });

describe("revealSolution", () => {
  it("refuses, and records nothing, for a lab stored before steps had solutions", async () => {
    const { solution: _solution, ...step } = lab.steps[0]!;
    const old = { ...lab, steps: [step], solve: [] } as unknown as Lab;
    const { db, reveals } = fakeDb({}, old);
    await expect(reveal(db, "owner")).rejects.toThrow(NO_STORED_SOLUTION);
    expect(reveals).toEqual([]);
  });

  it("answers the owner with the filled solution and records the first reveal only", async () => {
    const { db, reveals } = fakeDb({ d: "DRIVER" });
    await expect(reveal(db, "owner")).resolves.toEqual({ solution: "```sh host\necho 0badc0de > /tmp/t\n```" });
    await expect(reveal(db, "d")).resolves.toEqual({ solution: "```sh host\necho 0badc0de > /tmp/t\n```" });
    expect(reveals).toEqual([{ sessionId: SESSION, stepId: "write", userId: "owner" }]);
  });

  it("lets a driver reveal", async () => {
    const { db, reveals } = fakeDb({ d: "DRIVER" });
    await reveal(db, "d");
    expect(reveals).toEqual([{ sessionId: SESSION, stepId: "write", userId: "d" }]);
  });

  it("refuses a viewer (FORBIDDEN), a stranger (as a missing session) and an unknown step (naming the steps), recording nothing", async () => {
    const { db, reveals } = fakeDb({ v: "VIEWER" });
    await expect(reveal(db, "v")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Watchers cannot reveal solutions; the lab's owner or a driver can.",
    });
    await expect(reveal(db, "stranger")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This lab session does not exist or is not yours.",
    });
    await expect(reveal(db, "owner", "nope")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'This lab has no step "nope". Steps: write.',
    });
    expect(reveals).toEqual([]);
  });
});
