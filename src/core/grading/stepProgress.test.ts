// What progress sends of a step: only unlocked hints, and a solution only once revealed.
import { describe, expect, it } from "vitest";
import { labSchema } from "~/core/labs/schema";
import { unlockedHints } from "./hints";
import { stepsProgress, type StoredResult } from "./stepProgress";

const lab = labSchema.parse({
  slug: "hinted",
  title: "Hinted",
  summary: "A lab whose checks have hints.",
  estimatedMinutes: 5,
  defaultTerminal: "host",
  steps: [
    {
      id: "one",
      title: "One",
      instructions: "Write {{token}} to /tmp/t.",
      solution: "```sh host\necho {{token}} > /tmp/t\n```",
      checks: [
        {
          id: "token",
          kind: "output",
          container: "host",
          run: "cat /tmp/t",
          matches: "{{token}}",
          description: "/tmp/t holds your token",
          points: 1,
          failure: "/tmp/t does not hold your token.",
          hints: ["Look at the file /tmp/t.", "Your token is {{token}}."],
        },
        {
          id: "plain",
          kind: "network",
          name: "bridge",
          description: "bridge exists",
          points: 1,
          failure: "no bridge",
        },
      ],
    },
    {
      id: "two",
      title: "Two",
      instructions: "Nothing.",
      solution: "Nothing to do.",
      checks: [{ id: "b", kind: "network", name: "bridge", description: "d", points: 1, failure: "f" }],
    },
  ],
});
const params = { token: "0badc0de" };
const result = (checkId: string, failures: number): StoredResult => ({
  checkId,
  passed: false,
  everPassed: false,
  message: "failed",
  failures,
  updatedAt: new Date(0),
});

describe("unlockedHints", () => {
  it("unlocks one hint per failure, in order, never more than the check has", () => {
    const hints = ["first", "second"];
    expect([0, 1, 2, 3, 50].map((n) => unlockedHints(hints, n))).toEqual([
      [],
      ["first"],
      ["first", "second"],
      ["first", "second"],
      ["first", "second"],
    ]);
    expect(unlockedHints(hints, -1)).toEqual([]);
    expect(unlockedHints([], 2)).toEqual([]);
  });
});

describe("stepsProgress", () => {
  it("sends no hint before the first failure, the first (filled) after one, both after two", () => {
    const hintsAfter = (failures: number) => stepsProgress(lab, params, [result("token", failures)], new Set())[0]!.checks[0]!;
    expect(hintsAfter(0)).toMatchObject({ hints: [], failures: 0 });
    expect(hintsAfter(1)).toMatchObject({ hints: ["Look at the file /tmp/t."], failures: 1 });
    expect(hintsAfter(2)).toMatchObject({ hints: ["Look at the file /tmp/t.", "Your token is 0badc0de."], failures: 2 });
    // Nothing of the locked hint is in what is sent.
    expect(JSON.stringify(stepsProgress(lab, params, [result("token", 1)], new Set()))).not.toContain("Your token is");
  });

  it("a check without a result has no failures and no hints; a check without hints stays without", () => {
    const [step] = stepsProgress(lab, params, [result("plain", 2)], new Set());
    expect(step!.checks.map((c) => [c.id, c.failures, c.hints, c.result?.passed ?? null])).toEqual([
      ["token", 0, [], null],
      ["plain", 2, [], false],
    ]);
  });

  it("sends a step's solution, filled, only once it is revealed", () => {
    const hidden = stepsProgress(lab, params, [], new Set());
    expect(hidden.map((s) => [s.id, s.revealed, s.solution])).toEqual([
      ["one", false, null],
      ["two", false, null],
    ]);
    expect(JSON.stringify(hidden)).not.toContain("echo");
    const shown = stepsProgress(lab, params, [], new Set(["one"]));
    expect(shown.map((s) => [s.id, s.revealed, s.solution])).toEqual([
      ["one", true, "```sh host\necho 0badc0de > /tmp/t\n```"],
      ["two", false, null],
    ]);
  });

  it("a session whose lab is gone has no steps", () => {
    expect(stepsProgress(undefined, params, [result("token", 2)], new Set(["one"]))).toEqual([]);
  });
});
