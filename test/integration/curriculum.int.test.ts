// Every lab of the curriculum, on the real engine: in a fresh session every check fails with its
// message; after the lab's solve script every check passes and the score equals the lab's points.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog } from "~/core/labs/catalog";
import { fillTemplate, labPoints, type Lab } from "~/core/labs/schema";
import { parseIfconfig } from "../support/netparse";
import { runChecks } from "~/core/grading/runChecks";
import { engine } from "../support/lab";

const { labs, problems } = loadCatalog("labs");
const graded = labs.filter((lab) => lab.steps.length > 0);
const sessions: string[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((id) => engine.teardown(id)));
});

/** Runs the lab's solve script; `{{eth0:name}}` stands for that container's address (tests only). */
async function solve(sessionId: string, lab: Lab, params: { token: string }) {
  for (const line of lab.solve) {
    let command = fillTemplate(line.run, params);
    for (const [, name] of command.matchAll(/\{\{eth0:([a-z0-9-]+)\}\}/g)) {
      const { output } = await engine.run(sessionId, name!, ["ifconfig", "eth0"]);
      command = command.replaceAll(`{{eth0:${name}}}`, parseIfconfig(output).get("eth0")!.ipv4!);
    }
    const result = await engine.run(sessionId, line.container, ["sh", "-c", command], { timeoutMs: 15_000 });
    expect(result.exitCode, `${lab.slug}: solve "${command}" in ${line.container}: ${result.output}`).toBe(0);
  }
}

it("ships a valid curriculum covering S1-S12 with at least eight graded labs of three checks or more", () => {
  expect(problems).toEqual([]);
  expect(graded.length).toBeGreaterThanOrEqual(8);
  for (const lab of graded) expect(lab.steps.flatMap((s) => s.checks).length, lab.slug).toBeGreaterThanOrEqual(3);
  const covered = new Set(graded.flatMap((lab) => lab.covers));
  expect([...covered].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `S${i + 1}`).sort());
});

describe.each(graded.map((lab) => [lab.slug, lab] as const))("lab %s", (_slug, lab) => {
  it("fails every check in a fresh session, with its message, and passes them all after the solve script", async () => {
    const sessionId = randomUUID();
    sessions.push(sessionId);
    const params = { token: randomUUID().slice(0, 8) };
    await engine.provision({ sessionId, networks: lab.networks, containers: lab.containers, labDns: lab.labDns });

    const before = await runChecks(engine, sessionId, lab, params);
    expect(before.length).toBe(lab.steps.flatMap((s) => s.checks).length);
    for (const outcome of before) {
      expect(outcome.passed, `${lab.slug}/${outcome.checkId} passed in a fresh session`).toBe(false);
      const check = lab.steps.flatMap((s) => s.checks).find((c) => c.id === outcome.checkId)!;
      expect(outcome.message.startsWith(fillTemplate(check.failure, params))).toBe(true);
    }

    await solve(sessionId, lab, params);
    const after = await runChecks(engine, sessionId, lab, params);
    for (const outcome of after) expect(outcome.passed, `${lab.slug}/${outcome.checkId}: ${outcome.message}`).toBe(true);
    expect(after.reduce((sum, o) => sum + (o.passed ? o.points : 0), 0)).toBe(labPoints(lab));
  });
});
