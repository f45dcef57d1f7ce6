import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "./catalog";
import { validateLabFile } from "./validate";

const good = `
slug: good
title: Good
summary: A valid lab
estimatedMinutes: 5
containers:
  - { name: busybox1 }
defaultTerminal: busybox1
steps:
  - id: one
    title: One
    instructions: Write x into /tmp/x.
    solution: |
      \`\`\`sh busybox1
      echo x > /tmp/x
      \`\`\`
    checks:
      - { id: c1, kind: output, description: d, points: 1, failure: f, container: busybox1, run: "cat /tmp/x", matches: "^x$" }
`;

function problemsOf(yaml: string) {
  return validateLabFile("labs/x/lab.yaml", yaml).problems;
}

describe("lab file validation", () => {
  it("accepts a valid lab", () => {
    expect(validateLabFile("labs/good/lab.yaml", good, "good")).toMatchObject({ problems: [], lab: { slug: "good" } });
  });

  it("names an unknown field and where it is", () => {
    expect(problemsOf(good.replace("estimatedMinutes: 5", "estimatedMinutes: 5\ncolour: blue"))).toEqual([
      { file: "labs/x/lab.yaml", path: "(lab)", message: "unknown field(s): colour" },
    ]);
    expect(problemsOf(good.replace("matches:", "matchez:"))).toContainEqual(
      expect.objectContaining({ path: "steps[0].checks[0]", message: "unknown field(s): matchez" }),
    );
  });

  it("accepts a lab with no container started in advance, but not one whose default terminal does not exist", () => {
    // A lab may leave every container to the learner's `docker run`; its terminal is then the host.
    expect(problemsOf(good.replace("containers:\n  - { name: busybox1 }\n", ""))).toContainEqual({
      file: "labs/x/lab.yaml",
      path: "defaultTerminal",
      message: 'no container "busybox1" in this lab (containers: host)',
    });
    expect(problemsOf(good.replace("containers:\n  - { name: busybox1 }\n", "containers: busybox1\n"))).toContainEqual(
      expect.objectContaining({ path: "containers", message: expect.stringMatching(/expected array/) }),
    );
    expect(problemsOf(good.replace("defaultTerminal: busybox1", "defaultTerminal: busybox9"))).toEqual([
      { file: "labs/x/lab.yaml", path: "defaultTerminal", message: 'no container "busybox9" in this lab (containers: host, busybox1)' },
    ]);
  });

  it("reports a check naming a container the lab does not start and the step never mentions", () => {
    expect(problemsOf(good.replace("container: busybox1, run", "container: ghost, run"))).toEqual([
      {
        file: "labs/x/lab.yaml",
        path: "steps[0].checks[0].container",
        message: 'expects "ghost", which the instructions of step "one" never mention: name it there',
      },
    ]);
  });

  it("reports a bad regular expression", () => {
    expect(problemsOf(good.replace('matches: "^x$"', 'matches: "(unclosed"'))).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].matches", message: expect.stringMatching(/^not a valid regular expression.*missing closing \)/) },
    ]);
  });

  // Checks run over output a learner controls: patterns must be ones a linear-time engine (RE2) runs.
  it("refuses patterns RE2 cannot run, and pathological ones, by file, field and problem", () => {
    const withPattern = (pattern: string) => problemsOf(good.replace('matches: "^x$"', () => `matches: '${pattern}'`));
    expect(withPattern("^(?=.*bridge)(?=.*host)")).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].matches", message: expect.stringMatching(/^not a valid regular expression.*RE2.*\(\?=/) },
    ]);
    expect(withPattern("(a)\\1")).toEqual([expect.objectContaining({ path: "steps[0].checks[0].matches", message: expect.stringMatching(/RE2/) })]);
    expect(withPattern(`${"x".repeat(301)}`)).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].matches", message: "too long: 301 characters (at most 300)" },
    ]);
    expect(withPattern("(x{30}){30}")).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].matches", message: expect.stringMatching(/^too complex: compiles to \d+ instructions/) },
    ]);
    // The patterns the curriculum uses are fine, {{token}} included.
    expect(withPattern("(\\d+\\.\\d+\\.\\d+\\.\\d+)")).toEqual([]);
    expect(withPattern("^\\s*{{token}}\\s*$")).toEqual([]);
  });

  it("refuses an extract pattern without the capturing group it compares", () => {
    const compare = good.replace(
      /- \{ id: c1, kind: output.*\}/,
      "- { id: c1, kind: compare, description: d, points: 1, failure: f, op: equal, left: { container: busybox1, run: cat /tmp/a, extract: '\\d+' }, right: { container: busybox1, run: cat /tmp/b, extract: '(\\d+)' } }",
    );
    expect(problemsOf(compare)).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].left.extract", message: expect.stringMatching(/capturing group/) },
    ]);
  });

  it("reports YAML that does not parse, and a slug that does not match its folder", () => {
    expect(problemsOf("slug: [unclosed")[0]).toMatchObject({ path: "(file)", message: expect.stringMatching(/^not valid YAML/) });
    expect(validateLabFile("labs/other/lab.yaml", good, "other").problems).toEqual([
      { file: "labs/other/lab.yaml", path: "slug", message: 'slug "good" must match its folder "other"' },
    ]);
  });

  it("keeps serving the valid labs when one file is broken", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wireroom-labs-"));
    for (const [slug, text] of [["good", good], ["broken", good.replace("slug: good", "slug: broken").replace("kind: output", "kind: telepathy")]]) {
      mkdirSync(path.join(dir, slug!));
      writeFileSync(path.join(dir, slug!, "lab.yaml"), text!);
    }
    const catalog = loadCatalog(dir);
    expect(catalog.labs.map((l) => l.slug)).toEqual(["good"]);
    expect(catalog.problems).toHaveLength(1);
    expect(catalog.problems[0]).toMatchObject({ path: "steps[0].checks[0].kind", file: expect.stringContaining("broken/lab.yaml") });
  });

  // The none lab's grader once read /tmp/lo-ip, which its instructions never asked for.
  it("refuses a check that reads a file its step's instructions never mention, with file, field and problem", () => {
    const unmentioned = good.replace('run: "cat /tmp/x"', 'run: "cat /tmp/lo-ip"');
    expect(problemsOf(unmentioned)).toEqual([
      {
        file: "labs/x/lab.yaml",
        path: "steps[0].checks[0].run",
        message: 'reads /tmp/lo-ip, which the instructions of step "one" never mention: tell the learner to make it there',
      },
    ]);
    // A longer path that starts the same is not a mention; the system's own files need none.
    expect(problemsOf(good.replace('run: "cat /tmp/x"', 'run: "cat /tmp/xy"'))).toHaveLength(1);
    expect(problemsOf(good.replace('run: "cat /tmp/x"', 'run: "cat /sys/class/net/eth0/address /etc/resolv.conf 2>/dev/null"'))).toEqual([]);
    // A compare reads with both probes.
    const compare = good.replace(
      /- \{ id: c1, kind: output.*\}/,
      "- { id: c1, kind: compare, description: d, points: 1, failure: f, op: equal, left: { container: busybox1, run: cat /tmp/x, extract: '(x)' }, right: { container: host, run: cat /root/secret, extract: '(x)' } }",
    );
    expect(problemsOf(compare)).toEqual([expect.objectContaining({ path: "steps[0].checks[0].right.run", message: expect.stringMatching(/^reads \/root\/secret/) })]);
  });

  it("accepts names the learner makes when the step mentions them, and refuses those it does not", () => {
    const built = good
      .replace("containers:\n  - { name: busybox1 }\ndefaultTerminal: busybox1", "containers: []\ndefaultTerminal: host")
      .replace("instructions: Write x into /tmp/x.", "instructions: Run `docker run -dit --name web --network mynet busybox` and write x into /tmp/x.")
      .replace("```sh busybox1", "```sh host\n      docker network create mynet\n      ```\n      ```sh host\n      docker run -dit --name web --network mynet busybox\n      ```\n      ```sh web");
    expect(problemsOf(built.replace("container: busybox1, run", "container: web, run"))).toEqual([]);
    const kinds = [
      "{ id: c2, kind: container, description: d, points: 1, failure: f, name: web, networkMode: mynet }",
      "{ id: c3, kind: network, description: d, points: 1, failure: f, name: mynet, driver: bridge }",
      "{ id: c4, kind: resolves, description: d, points: 1, failure: f, container: web, name: web, resolves: true }",
    ];
    const withKinds = built.replace("container: busybox1, run", "container: web, run") + kinds.map((k) => `      - ${k}\n`).join("");
    expect(problemsOf(withKinds)).toEqual([]);
    expect(problemsOf(withKinds.replaceAll("name: web", "name: db"))).toEqual([
      expect.objectContaining({ path: "steps[0].checks[1].name", message: expect.stringContaining('expects "db"') }),
      expect.objectContaining({ path: "steps[0].checks[3].name", message: expect.stringContaining('expects "db"') }),
    ]);
  });

  it("refuses command blocks of several lines, for terminals that never exist, and placeholders in a solution", () => {
    expect(problemsOf(good.replace("echo x > /tmp/x", "echo x > /tmp/x\n      cat /tmp/x"))).toEqual([
      expect.objectContaining({ path: "steps[0].solution", message: expect.stringMatching(/has more than one line: a clickable command is one line/) }),
    ]);
    expect(problemsOf(good.replace("```sh busybox1", "```sh ghost"))).toEqual([
      expect.objectContaining({ path: "steps[0].solution", message: expect.stringMatching(/typed into "ghost", which the lab neither starts nor creates/) }),
    ]);
    expect(problemsOf(good.replace("echo x > /tmp/x", "echo <VALUE> > /tmp/x"))).toEqual([
      expect.objectContaining({ path: "steps[0].solution", message: expect.stringMatching(/placeholder\(s\) <VALUE>: a solution gives real values/) }),
    ]);
  });

  it("needs a solution for each step, at most two hints per check, and a word on each container of a playground", () => {
    expect(problemsOf(good.replace(/ {4}solution: \|\n.*\n.*\n.*\n/, ""))).toEqual([
      expect.objectContaining({ path: "steps[0].solution", message: expect.stringMatching(/expected string|needs a solution/) }),
    ]);
    expect(problemsOf(good.replace("failure: f,", "failure: f, hints: [a, b, c],"))).toEqual([
      expect.objectContaining({ path: "steps[0].checks[0].hints", message: expect.stringMatching(/at most 2 hints/) }),
    ]);
    const playground = good.replace(/steps:[\s\S]*$/, "");
    expect(problemsOf(playground)).toEqual([
      { file: "labs/x/lab.yaml", path: "containers[0].about", message: "a playground (a lab with no steps) says what each container is for" },
    ]);
    expect(problemsOf(playground.replace("{ name: busybox1 }", "{ name: busybox1, about: \"On the default bridge, try ifconfig.\" }"))).toEqual([]);
  });

  // Found by reviewing issue 11: files read in ways the path scan alone did not see.
  it("refuses files named through cd (even quoted), . or .., /proc/<pid>/root, or a whole folder; accepts a quoted path", () => {
    const reading = (run: string) => problemsOf(good.replace('run: "cat /tmp/x"', () => `run: ${JSON.stringify(run)}`));
    for (const run of [
      "sh -c 'cd /tmp && cat lo-ip'",
      'sh -c "cd /tmp; cat x"',
      "cat /etc/../tmp/lo-ip",
      "cat /proc/self/root/tmp/lo-ip",
      "cat /proc/1/cwd/x",
      "grep -rh x /tmp",
    ]) {
      expect(reading(run), run).toContainEqual(expect.objectContaining({ path: "steps[0].checks[0].run" }));
    }
    expect(reading('cat "/tmp/x"')).toEqual([]);
  });

  it("refuses a step id used twice (reveals and Check are per step)", () => {
    const twice = good.replace(/(steps:\n)([\s\S]*)$/, (_, head: string, step: string) => head + step + step.replace("id: c1", "id: c2"));
    expect(problemsOf(twice)).toEqual([{ file: "labs/x/lab.yaml", path: "steps[1].id", message: 'step id "one" is used twice' }]);
  });
  it("capture checks: the interface and the containers they name are mentioned in the step; the lab DNS needs labDns", () => {
    const check = (on: string, expect: string) =>
      `      - { id: c2, kind: capture, description: d, points: 1, failure: f, on: ${on}, expect: ${expect} }\n`;
    const step = good.replace("instructions: Write x into /tmp/x.", "instructions: Write x into /tmp/x, then ping busybox2 and watch eth0.");
    expect(problemsOf(step + check("{ container: busybox1, interface: eth0 }", "{ icmp: echo-request, from: busybox1, to: busybox2 }"))).toEqual([]);
    expect(problemsOf(step + check("{ container: busybox1, interface: eth1 }", "{ icmp: echo-request, from: busybox1, to: busybox3 }"))).toEqual([
      expect.objectContaining({ path: "steps[0].checks[1].on.interface", message: expect.stringContaining('expects "eth1"') }),
      expect.objectContaining({ path: "steps[0].checks[1].expect.to", message: expect.stringContaining('expects "busybox3"') }),
    ]);
    expect(problemsOf(step + check("{ container: busybox1, interface: eth0 }", "{ dns: query, name: www.lab.example, to: '@labdns' }"))).toEqual([
      expect.objectContaining({ path: "steps[0].checks[1].expect.to", message: "the lab DNS (dns, @labdns) needs labDns: true" }),
      expect.objectContaining({ path: "steps[0].checks[1].expect.name", message: expect.stringContaining('expects "www.lab.example"') }),
    ]);
    expect(problemsOf(step + check("{ container: busybox1, interface: eth0 }", "{ icmp: echo-request, from: busybox1, to: 10.0.0.300 }"))).toEqual([
      expect.objectContaining({ path: "steps[0].checks[1].expect" }),
    ]);
  });
});
