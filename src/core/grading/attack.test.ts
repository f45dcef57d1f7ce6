// Red-team tests of issue 11's pure surfaces: what progress lets out (hints, solutions), the values
// a learner puts into <PLACEHOLDER>s (typed into a shared terminal), and lab validation as a lab
// author's safety net (a check that reads a file its step never mentions must be refused, however
// the path is written). Each test fails if its defence breaks.
import headless from "@xterm/headless";
import { describe, expect, it } from "vitest";
import { labSchema } from "~/core/labs/schema";
import { validateLabFile } from "~/core/labs/validate";
import { fillPlaceholders } from "~/protocol/instructions";
import { stepsProgress, type StoredResult } from "./stepProgress";

const SECRET_HINT = "the second hint names 10.9.8.7";
const SOLUTION = "```sh host\ndocker run -dit --name web --network mynet busybox\n```";
const lab = labSchema.parse({
  slug: "attack",
  title: "Attack",
  summary: "A lab whose check has two hints and whose step has a solution.",
  estimatedMinutes: 5,
  defaultTerminal: "host",
  steps: [
    {
      id: "one",
      title: "One",
      instructions: "Start web on mynet.",
      solution: SOLUTION,
      checks: [
        {
          id: "web",
          kind: "container",
          name: "web",
          networkMode: "mynet",
          description: "web runs on mynet",
          points: 1,
          failure: "no web on mynet",
          hints: ["the first hint", SECRET_HINT],
        },
      ],
    },
  ],
});
const result = (checkId: string, failures: number): StoredResult => ({
  checkId,
  passed: false,
  everPassed: false,
  message: "no web on mynet",
  failures,
  updatedAt: new Date(0),
});
const sent = (failures: number, revealed: string[] = []) =>
  JSON.stringify(stepsProgress(lab, { token: "t0" }, [result("web", failures)], new Set(revealed)));

describe("progress lets out only what was earned", () => {
  it("a failures count that is not a whole non-negative number unlocks no extra hint", () => {
    // A row edited by hand or a bad migration must not hand out the second hint early.
    for (const failures of [0, -5, 0.99, 1.5, Number.NaN, -Infinity])
      expect(sent(failures), `failures ${failures}`).not.toContain(SECRET_HINT);
    expect(sent(2)).toContain(SECRET_HINT);
  });

  it("a reveal recorded for another step, or for a step id the lab lacks, shows no solution", () => {
    for (const revealed of [["two"], ["ONE"], ["one "], [""], ["__proto__"]]) {
      expect(sent(2, revealed), `revealed ${JSON.stringify(revealed)}`).not.toContain("docker run");
    }
    expect(sent(0, ["one"])).toContain("docker run");
  });

  it("a stored result of a check the lab lacks (a hint-count row forged for another check id) unlocks nothing", () => {
    const out = JSON.stringify(stepsProgress(lab, { token: "t0" }, [result("other", 9), result("WEB", 9)], new Set()));
    expect(out).not.toContain("the first hint");
  });
});

describe("a placeholder's value cannot run a command or drive the terminal", () => {
  const code = "ping -c 1 <ADDRESS>";
  const refused = (value: string) => "problem" in fillPlaceholders(code, { ADDRESS: value });

  it("refuses line ends, escapes, a bracketed-paste end and the other C0 controls", () => {
    for (const value of [
      "1.2.3.4\n",
      "1.2.3.4\nrm -rf /tmp",
      "1.2.3.4\rreboot",
      "1.2.3.4\r\n",
      "\u001b[201~\nid\n",
      "\u001b]0;title\u0007",
      "1.2.3.4\u0003",
      "1.2.3.4\u0004",
      "1.2.3.4\u0000",
      "1.2.3.4\u007f\u007f",
      "1.2.3.4\t",
    ])
      expect(refused(value), JSON.stringify(value)).toBe(true);
  });

  it("a value that looks like another placeholder is filled once, not re-expanded into a second value", () => {
    const filled = fillPlaceholders("echo <A> <B>", { A: "<B>", B: "x" });
    expect(filled).toEqual({ command: "echo <B> x" });
  });

  // The shell echoes what is typed, and xterm.js (every viewer's page and the gateway's screen)
  // executes 8-bit C1 controls: U+009B is CSI, so "\u009b2J" clears everyone's screen. Unicode line
  // and paragraph separators and bidi overrides make the command show as something it is not.
  it("refuses C1 controls (U+0080-U+009F), Unicode line/paragraph separators and bidi overrides", async () => {
    const term = new headless.Terminal({ cols: 40, rows: 3, allowProposedApi: true });
    await new Promise<void>((resolve) => term.write("visible\r\n\u009b2J", resolve));
    expect(term.buffer.active.getLine(0)!.translateToString(true)).toBe(""); // why C1 matters
    term.dispose();
    const values = ["1.2.3.4\u009b2J", "\u009b201~", "1.2.3.4\u0085id", "1.2.3.4\u2028id", "1.2.3.4\u2029", "\u202e4.3.2.1"];
    expect(values.filter((value) => !refused(value)).map((value) => JSON.stringify(value))).toEqual([]);
  });
});

// A step whose instructions mention /tmp/answer (and so the folder /tmp) but never /tmp/lo-ip, and
// a check that reads /tmp/lo-ip written some other way. Each must be refused like `cat /tmp/lo-ip`.
const labReading = (run: string) => `
slug: sneaky
title: Sneaky
summary: A check that reads a file its step never mentions.
estimatedMinutes: 5
containers:
  - { name: busybox1 }
defaultTerminal: busybox1
steps:
  - id: one
    title: One
    instructions: Write your address into /tmp/answer in busybox1.
    solution: |
      \`\`\`sh busybox1
      hostname -i > /tmp/answer
      \`\`\`
    checks:
      - id: c1
        kind: output
        description: d
        points: 1
        failure: f
        container: busybox1
        run: ${JSON.stringify(run)}
        matches: "\\\\d"
`;
const refusedRun = (run: string) =>
  validateLabFile("labs/sneaky/lab.yaml", labReading(run)).problems.some((p) => p.path === "steps[0].checks[0].run");

describe("lab validation refuses a check reading an unmentioned file, however the path is written", () => {
  it("the plain path and the mentioned file (the baseline)", () => {
    expect(refusedRun("cat /tmp/lo-ip")).toBe(true);
    expect(refusedRun("cat /tmp/answer")).toBe(false);
    expect(refusedRun("cat /etc/resolv.conf")).toBe(false);
  });

  it("written through a redirect, an option or a quote", () => {
    const runs = [
      "read v </tmp/lo-ip; echo $v",
      "grep -f/tmp/lo-ip /dev/null",
      "cat '/tmp/lo-ip'",
      'cat "/tmp/lo-ip"',
      "x=/tmp/lo-ip; cat $x",
    ];
    expect(runs.filter((run) => !refusedRun(run))).toEqual([]);
  });

  // Found by this red team: each reads /tmp/lo-ip (or a learner's file elsewhere) and passes validation.
  it("written relative to the exec's working directory (/), through ~, $HOME, a glob, concatenation or /dev/shm", () => {
    const runs = [
      "cat tmp/lo-ip",
      "cat ./tmp/lo-ip",
      "cd /tmp && cat lo-ip",
      "cat /tmp/lo*",
      "cat /tmp/lo?ip",
      "cat /tmp/lo[-]ip",
      'cat "/tmp/"lo-ip',
      "cat /tmp/$(echo lo-ip)",
      "f=/tmp/lo; cat ${f}-ip",
      "cat $HOME/lo-ip",
      "cat ~root/lo-ip",
      "cat /dev/shm/lo-ip",
    ];
    expect(runs.filter((run) => !refusedRun(run))).toEqual([]);
  });
});
