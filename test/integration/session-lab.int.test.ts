// A lab file edited while a session runs does not change that session: the session keeps the lab
// it started with (stored on its row), for its view, its terminals and its grading; a session
// started after the edit gets the new lab. The labs are a copy in a temporary LABS_DIR.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reloadCatalog } from "~/core/labs/catalog";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { FIXTURE_LABS_DIR } from "../support/fixtureLabs";
import { engine, eventually, learner, satisfying, testWorker, waitForStatus } from "../support/harness";

const labsDir = mkdtempSync(path.join(os.tmpdir(), "wireroom-labs-"));
const labFile = path.join(labsDir, "none", "lab.yaml");
let worker: RunningWorker;
const started: string[] = [];

beforeAll(async () => {
  cpSync(FIXTURE_LABS_DIR, labsDir, { recursive: true });
  process.env.LABS_DIR = labsDir;
  reloadCatalog();
  worker = await testWorker();
});

afterAll(async () => {
  await worker?.stop();
  for (const id of started) await engine.teardown(id);
  process.env.LABS_DIR = FIXTURE_LABS_DIR;
  reloadCatalog();
  rmSync(labsDir, { recursive: true, force: true });
});

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the lab file no longer contains ${JSON.stringify(from)}: update this test`);
  return text.replace(from, () => to);
}

it(
  "keeps a running session on the lab it started with when the file changes; a new session gets the new lab",
  { timeout: 120_000 },
  async () => {
    const owner = await learner();
    const before = await owner.api.session.start({ labSlug: "none" });
    started.push(before.id);
    expect(before).toMatchObject({ labTitle: "The closed container: --network none", terminals: ["host", "closed"] });
    await waitForStatus(before.id, [Status.ready]);

    // Another title, another step title, a third container and a check that now wants eth0, not lo.
    let yaml = readFileSync(labFile, "utf8");
    yaml = edit(yaml, 'title: "The closed container: --network none"', 'title: "Edited while running"');
    yaml = edit(yaml, "title: What interfaces are there?", "title: An edited step");
    yaml = edit(
      yaml,
      "  - { name: closed, network: none }\n",
      "  - { name: closed, network: none }\n  - { name: extra, network: none }\n",
    );
    yaml = edit(yaml, "matches: '^\\s*lo\\s*$'", "matches: '^\\s*eth0\\s*$'");
    writeFileSync(labFile, yaml);
    reloadCatalog();

    // The running session: its view, terminals and steps are the original lab's.
    const view = await owner.api.session.get({ sessionId: before.id });
    expect(view).toMatchObject({
      labTitle: "The closed container: --network none",
      terminals: ["host", "closed"],
      defaultTerminal: "closed",
    });
    await expect(owner.api.session.terminalToken({ sessionId: before.id, terminal: "extra" })).rejects.toThrow(
      /no container "extra" \(it was removed, or never created\)\. Terminals: host, closed\./,
    );
    expect((await owner.api.session.terminalToken({ sessionId: before.id, terminal: "closed" })).role).toBe("driver");
    const progress = () => owner.api.grading.progress({ sessionId: before.id });
    expect((await progress()).steps[0]!.title).toBe("What interfaces are there?");

    // Its grading too: `lo` alone passes the original check (the edited one would want eth0).
    await engine.run(before.id, "closed", ["sh", "-c", "ls /sys/class/net > /tmp/interfaces"]);
    await owner.api.grading.check({ sessionId: before.id, stepId: "interfaces" });
    const checked = await eventually(
      "the interfaces check's result",
      satisfying(progress, (p) => p.steps[0]!.checks[0]!.result !== null),
    );
    expect(checked.steps[0]!.checks[0]).toMatchObject({ id: "only-lo", result: { passed: true } });

    // A session started now gets the edited lab, containers included.
    const after = await (await learner()).api.session.start({ labSlug: "none" });
    started.push(after.id);
    expect(after).toMatchObject({ labTitle: "Edited while running", terminals: ["host", "closed", "extra"] });
    await waitForStatus(after.id, [Status.ready]);
    expect((await engine.inspectContainer(after.id, "extra"))?.running).toBe(true);
    expect(await engine.inspectContainer(before.id, "extra")).toBeUndefined();
  },
);
