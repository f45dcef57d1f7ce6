// The curriculum (labs/), as a learner meets it: a session started through tRPC, Check pressed on
// every step of the fresh session (every check fails, each with its own message), then each step's
// solution typed into its terminals through the gateway (socket.io, the real shells, the `docker`
// command in the host terminal), and one Submit that must reach full marks. At the start and after
// each step's solution, every check of the lab gives the same outcome batched (one exec per container,
// as the worker runs them) as with one exec per probe (the reference).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "~/core/grading/runChecks";
import { catalog, reloadCatalog } from "~/core/labs/catalog";
import { fillTemplate, labPoints, OBSERVATIONS, type Lab, type Step } from "~/core/labs/schema";
import { paramsOfSession } from "~/core/sessions/sessionParams";
import { RunStatus } from "~/protocol/checkRun";
import { parseInstructions } from "~/protocol/instructions";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { inPieces } from "../support/engineTurns";
import {
  connectTerminal,
  db,
  engine,
  eventually,
  learner,
  testWorker,
  waitForStatus,
  type TerminalClient,
} from "../support/harness";
import { type Live, runOutcome, until } from "../support/live";
import { PROMPT, run } from "../support/typing";

// Integration tests read test/fixtures/labs (setupEnv.ts); this file tests the real curriculum.
process.env.LABS_DIR = "labs";
reloadCatalog();
const { labs, problems } = catalog();
const graded = labs.filter((lab) => lab.steps.length > 0);

/** Labs walked at once: each is a session, a few shells and its checks, on a 2-core machine. */
const AT_ONCE = 3;

let worker: RunningWorker;
const sessions: string[] = [];
/** Time spent comparing batched and one-exec-per-probe outcomes (reported: this test's added time). */
const compared = { points: 0, ms: 0 };

beforeAll(async () => {
  worker = await testWorker();
});
afterAll(async () => {
  console.log(`batched vs one exec per probe: ${compared.points} comparisons, ${Math.round(compared.ms)} ms in all`);
  await worker?.stop();
  for (const id of sessions) await engine.teardown(id);
});

/** A step's solve script: the tagged code blocks of its solution, in order. */
function solveScript(step: Step): { terminal: string; code: string }[] {
  return parseInstructions(step.solution).flatMap((block) =>
    block.kind === "code" && block.terminal !== null ? [{ terminal: block.terminal, code: block.code }] : [],
  );
}

describe("the curriculum", () => {
  it("is valid, in the seed's order, with at least eight graded labs of three checks or more covering S1-S12", () => {
    expect(problems).toEqual([]);
    expect(graded.length).toBeGreaterThanOrEqual(8);
    for (const lab of graded) expect(lab.steps.flatMap((s) => s.checks).length, lab.slug).toBeGreaterThanOrEqual(3);
    expect([...new Set(graded.flatMap((lab) => lab.covers))].sort()).toEqual([...OBSERVATIONS].sort());
    // The listing reads in the seed's order: each lesson starts no earlier than the one before it.
    const lessons = graded.filter((lab) => lab.covers.length < OBSERVATIONS.length);
    const firsts = lessons.map((lab) => Math.min(...lab.covers.map((s) => OBSERVATIONS.indexOf(s))));
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
  });

  it("gives every check two hints and every step a solution with a command to type", () => {
    for (const lab of graded)
      for (const step of lab.steps) {
        expect(solveScript(step).length, `${lab.slug}/${step.id}: commands in its solution`).toBeGreaterThan(0);
        for (const check of step.checks) expect(check.hints, `${lab.slug}/${check.id}: hints`).toHaveLength(2);
      }
  });

  it("says, in a playground, what each container is for", () => {
    for (const lab of labs.filter((l) => l.steps.length === 0))
      for (const container of lab.containers) expect(container.about, `${lab.slug}/${container.name}`).toBeTruthy();
  });
});

/** At most `n` walks at once; the rest wait their turn. */
function limit(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
const slot = limit(AT_ONCE);

/**
 * One lab, as a learner does it: a fresh session fails every check with its message; the steps'
 * solutions, typed into their terminals, bring one Submit to full marks.
 */
async function walk(lab: Lab) {
  const owner = await learner();
  const sessionId = (await owner.api.session.start({ labSlug: lab.slug })).id;
  sessions.push(sessionId);
  const live: Live = (await owner.api.live.session({ sessionId }))[Symbol.asyncIterator]();
  const terminals = new Map<string, TerminalClient>();
  /** A terminal of the session: the host's, or one of a container the learner just made (once the worker saw it). */
  const terminal = async (name: string) => {
    let client = terminals.get(name);
    if (!client) {
      const { token } = await eventually(`${lab.slug}: a token for the terminal ${name}`, () =>
        owner.api.session.terminalToken({ sessionId, terminal: name }),
      );
      client = await connectTerminal(worker.port, { token, sessionId, terminal: name });
      terminals.set(name, client);
      await client.waitForOutput(PROMPT, 20_000);
    }
    return client;
  };
  try {
    await waitForStatus(sessionId, [Status.ready], 90_000);
    const params = paramsOfSession(await db().labSession.findUniqueOrThrow({ where: { id: sessionId } }));
    /** Every check of the lab, batched and one exec per probe, one after the other: the same outcomes. */
    const batchedAsReference = async (when: string) => {
      const started = performance.now();
      const batched = await runChecks(engine, sessionId, lab, params);
      const reference = await runChecks(engine, sessionId, lab, params, undefined, { batch: false });
      compared.points++;
      compared.ms += performance.now() - started;
      expect(batched, `${lab.slug} ${when}: batched outcomes = one exec per probe`).toEqual(reference);
    };
    await batchedAsReference("at the start");

    for (const step of lab.steps) {
      const { runId } = await owner.api.grading.check({ sessionId, stepId: step.id });
      const outcome = await until(live, `${lab.slug}/${step.id}: the fresh session's Check`, runOutcome(runId), 60_000);
      expect(outcome, `${lab.slug}/${step.id}: a Check in a fresh session`).toMatchObject({ status: RunStatus.failed });
    }
    const fresh = await owner.api.grading.progress({ sessionId });
    for (const step of lab.steps)
      for (const check of step.checks) {
        const result = fresh.steps.find((s) => s.id === step.id)?.checks.find((c) => c.id === check.id)?.result;
        expect(result?.passed, `${lab.slug}/${check.id} in a fresh session: ${result?.message}`).toBe(false);
        expect(
          result?.message.startsWith(fillTemplate(check.failure, params)),
          `${lab.slug}/${check.id}: ${result?.message}`,
        ).toBe(true);
      }

    // Each step's solution completes that step (a Check passes) before the next one is typed.
    for (const step of lab.steps) {
      for (const { terminal: name, code } of solveScript(step)) {
        const command = fillTemplate(code, params);
        const { output, exitCode } = await run(await terminal(name), command, 60_000);
        expect(exitCode, `${lab.slug}/${step.id}: "${command}" in ${name} printed:\n${output}`).toBe(0);
      }
      await batchedAsReference(`after ${step.id}'s solution`);
      const { runId } = await owner.api.grading.check({ sessionId, stepId: step.id });
      const outcome = await until(live, `${lab.slug}/${step.id}: the Check after its solution`, runOutcome(runId), 60_000);
      if (outcome.status !== RunStatus.passed) {
        const { steps } = await owner.api.grading.progress({ sessionId });
        const failed = steps
          .find((s) => s.id === step.id)
          ?.checks.filter((c) => !c.result?.passed)
          .map((c) => `${c.id}: ${c.result?.message}`);
        expect.fail(
          `${lab.slug}/${step.id}: its solution typed, the Check ${outcome.status} (${outcome.reason ?? failed?.join("; ")})`,
        );
      }
    }

    const { runId } = await owner.api.grading.submit({ sessionId });
    const outcome = await until(live, `${lab.slug}: the Submit`, runOutcome(runId), 90_000);
    const submission = (await owner.api.grading.progress({ sessionId })).submissions.find((s) => s.id === runId);
    expect(
      submission?.results.filter((r) => !r.passed),
      `${lab.slug}: checks failed after the solutions`,
    ).toEqual([]);
    expect(submission?.score).toBe(labPoints(lab));
    expect(outcome.status).toBe(RunStatus.passed);
  } finally {
    for (const client of terminals.values()) client.close();
    await live.return?.();
    await owner.api.session.stop({ sessionId }).catch(() => undefined);
  }
}

describe.concurrent("each graded lab, typed into its terminals through the gateway", () => {
  for (const lab of graded) {
    it(
      `${lab.slug}: a fresh session fails every check with its message; the typed solutions reach ${labPoints(lab)} points`,
      () => slot(() => inPieces(1, (lane) => lane(() => walk(lab)))),
      240_000,
    );
  }
});
