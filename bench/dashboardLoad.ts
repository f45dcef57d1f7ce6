// The dashboard benchmark's load generator, its own process (so the benchmark's measurements do
// not share its CPU): every learner of a class acts at a human rate, each 2 to 10 s, writing what
// the platform writes when a learner works: activity (lastActivityAt, which the worker writes at
// most every 15 s), a Check (a run, then its results and the run's end in one transaction, as the
// worker's checkStep does), needs-help raised or cleared, a Submission. Each event is printed as a
// JSON line (bench/dashboardEvents.ts) with the time it was written and what a dashboard row then shows.
//   tsx bench/dashboardLoad.ts --class <id> --seconds <n>   (DATABASE_URL in the environment)
import { randomUUID } from "node:crypto";
import { createDb } from "~/core/db";
import { finishRun } from "~/core/grading/finishRun";
import type { CheckOutcome } from "~/core/grading/outcomes";
import { recordOutcomes } from "~/core/grading/recordOutcomes";
import { requireLabOfSession } from "~/core/labs/sessionLab";
import { labPoints, type Lab } from "~/core/labs/schema";
import { RunKind } from "~/protocol/checkRun";
import { wallClock, type Expect, type LoadEventKind, type LoadLine } from "./dashboardEvents";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`--${name} is required`);
  return value;
};
const classId = arg("class");
const seconds = Number(arg("seconds"));
const ACTIVITY_EVERY_MS = 15_000;
const SUBMIT_EVERY_MS = 10_000;

const db = createDb(process.env.DATABASE_URL!);
const say = (line: LoadLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;

type Learner = {
  sessionId: string;
  ownerId: string;
  lab: Lab;
  checks: { id: string; stepId: string; points: number }[];
  passed: Set<string>;
  lastActivityAt: number;
  helpRaised: boolean;
  attempts: number;
  bestScore: number;
  lastSubmitAt: number;
};

async function write(learner: Learner, kind: LoadEventKind, action: () => Promise<Expect | undefined>) {
  const t0 = wallClock();
  const expect = await action();
  say({ event: { seq: seq++, sessionId: learner.sessionId, kind, t0, committedAt: wallClock(), expect } });
}

/** A Check press on the step of the learner's next unpassed check: it passes (70%) or fails. */
async function check(learner: Learner) {
  const next = learner.checks.find((c) => !learner.passed.has(c.id)) ?? learner.checks.at(-1)!;
  const passes = Math.random() < 0.7;
  const runId = randomUUID();
  await db.checkRun.create({
    data: { id: runId, sessionId: learner.sessionId, kind: RunKind.check, stepId: next.stepId, requestedBy: learner.ownerId },
  });
  await sleep(50 + Math.random() * 250); // the checks run in the learner's containers
  const outcomes: CheckOutcome[] = learner.checks
    .filter((c) => c.stepId === next.stepId)
    .map((c) => {
      const passed = learner.passed.has(c.id) || (passes && c.id === next.id);
      return { checkId: c.id, stepId: c.stepId, passed, points: c.points, message: passed ? "ok" : "not yet" };
    });
  const gains = passes && !learner.passed.has(next.id);
  await write(learner, gains ? "check" : "checkFailed", async () => {
    await db.$transaction(async (tx) => {
      await recordOutcomes(tx, learner.sessionId, outcomes);
      await finishRun(tx, runId, { results: outcomes });
    });
    if (!gains) return undefined;
    learner.passed.add(next.id);
    return { checksPassed: learner.passed.size };
  });
}

async function submit(learner: Learner) {
  const runId = randomUUID();
  await db.checkRun.create({
    data: { id: runId, sessionId: learner.sessionId, kind: RunKind.submit, requestedBy: learner.ownerId },
  });
  await sleep(100 + Math.random() * 400);
  const results = learner.checks.map((c) => {
    const passed = learner.passed.has(c.id);
    return {
      checkId: c.id,
      stepId: c.stepId,
      passed,
      points: c.points,
      message: passed ? "ok" : "not yet",
      earned: passed ? c.points : 0,
    };
  });
  const score = results.reduce((sum, r) => sum + r.earned, 0);
  await write(learner, "submission", async () => {
    await db.$transaction(async (tx) => {
      await tx.submission.create({
        data: {
          id: runId,
          sessionId: learner.sessionId,
          userId: learner.ownerId,
          labSlug: learner.lab.slug,
          attempt: learner.attempts + 1,
          score,
          maxScore: labPoints(learner.lab),
          results,
        },
      });
      await finishRun(tx, runId, { results: results.map(({ earned, ...o }) => ({ ...o, passed: earned > 0 })) });
    });
    learner.attempts++;
    learner.lastSubmitAt = Date.now();
    const improves = score > learner.bestScore;
    learner.bestScore = Math.max(learner.bestScore, score);
    return { attempts: learner.attempts, bestScore: learner.bestScore, improves };
  });
}

async function act(learner: Learner) {
  const now = Date.now();
  const choices: [number, () => Promise<void>][] = [
    [35, () => check(learner)],
    [12, () => (learner.helpRaised ? clearHelp(learner) : raiseHelp(learner))],
  ];
  if (now - learner.lastActivityAt >= ACTIVITY_EVERY_MS) choices.push([45, () => activity(learner)]);
  if (now - learner.lastSubmitAt >= SUBMIT_EVERY_MS) choices.push([8, () => submit(learner)]);
  let pick = Math.random() * choices.reduce((sum, [weight]) => sum + weight, 0);
  for (const [weight, run] of choices) {
    pick -= weight;
    if (pick <= 0) return run();
  }
}

const activity = (learner: Learner) =>
  write(learner, "activity", async () => {
    const at = Date.now();
    await db.labSession.update({ where: { id: learner.sessionId }, data: { lastActivityAt: new Date(at) } });
    learner.lastActivityAt = at;
    return { lastActivityAt: at };
  });

const raiseHelp = (learner: Learner) =>
  write(learner, "help", async () => {
    const helpMessage = `bench-${seq}-${randomUUID().slice(0, 8)}`;
    await db.labSession.update({ where: { id: learner.sessionId }, data: { helpRequestedAt: new Date(), helpMessage } });
    learner.helpRaised = true;
    return { helpMessage };
  });

const clearHelp = (learner: Learner) =>
  write(learner, "helpClear", async () => {
    await db.labSession.update({ where: { id: learner.sessionId }, data: { helpRequestedAt: null, helpMessage: null } });
    learner.helpRaised = false;
    return { help: false };
  });

async function main() {
  const rows = await db.labSession.findMany({
    where: { classId },
    select: { id: true, ownerId: true, labSlug: true, lab: true, labHash: true },
  });
  if (rows.length === 0) throw new Error(`class ${classId} has no sessions`);
  const learners: Learner[] = await Promise.all(
    rows.map(async (row) => {
      const lab = requireLabOfSession(row);
      const [results, submissions, session] = await Promise.all([
        db.checkResult.findMany({ where: { sessionId: row.id, everPassed: true }, select: { checkId: true } }),
        db.submission.findMany({ where: { sessionId: row.id }, select: { score: true, createdAt: true } }),
        db.labSession.findUniqueOrThrow({ where: { id: row.id }, select: { helpRequestedAt: true, lastActivityAt: true } }),
      ]);
      return {
        sessionId: row.id,
        ownerId: row.ownerId,
        lab,
        checks: lab.steps.flatMap((step) => step.checks.map((c) => ({ id: c.id, stepId: step.id, points: c.points }))),
        passed: new Set(results.map((r) => r.checkId)),
        lastActivityAt: session.lastActivityAt?.getTime() ?? 0,
        helpRaised: session.helpRequestedAt !== null,
        attempts: submissions.length,
        bestScore: Math.max(0, ...submissions.map((s) => s.score)),
        lastSubmitAt: Math.max(0, ...submissions.map((s) => s.createdAt.getTime())),
      };
    }),
  );
  const started = Date.now();
  const end = started + seconds * 1000;
  say({ started });
  await Promise.all(
    learners.map(async (learner) => {
      // Learners do not start in step; none acts after the end.
      for (let at = started + Math.random() * 8_000; at < end; at = Date.now() + 2_000 + Math.random() * 8_000) {
        await sleep(Math.max(0, at - Date.now()));
        await act(learner);
      }
    }),
  );
  say({ finished: Date.now() });
  // Connected until the benchmark has sampled CPU (it closes stdin): a backend that ended would
  // count as PostgreSQL's, not as the load's.
  await new Promise((resolve) => process.stdin.once("end", resolve).resume());
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
