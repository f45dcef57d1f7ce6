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
    instructions: Do it
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

  it("reports a check naming a container the lab does not start", () => {
    expect(problemsOf(good.replace("container: busybox1, run", "container: ghost, run"))).toEqual([
      { file: "labs/x/lab.yaml", path: "steps[0].checks[0].container", message: 'no container "ghost" in this lab (containers: host, busybox1)' },
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
});
