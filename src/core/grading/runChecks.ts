// Runs a lab's declarative checks against the live state of a session's containers: those the lab
// started and those the learner made (a container that is not there fails the check, with its
// message). The commands come from the lab files, never from a learner, and run only inside the
// session's containers.
// Their output is the learner's, so patterns run on RE2 (linear time) over output cut to 4 KiB:
// a check cannot stall the check thread it runs on (worker/checks/), nor the checks queued behind it.
import { channel } from "node:diagnostics_channel";
import { compileLabPattern, type LabPattern } from "~/core/labs/pattern";
import type { Check, Lab } from "~/core/labs/schema";
import { fillTemplate } from "~/core/labs/schema";
import {
  type Answers,
  batchedAnswers,
  type CheckEngine,
  directAnswers,
  lookup,
  NoRunningContainer,
  parseAddresses,
  ADDRESSES,
  PROBE_OUTPUT_LIMIT,
} from "./batchProbes";
import { endContainer } from "~/core/labs/mentions";
import { captureKey, type CaptureSnapshot, containersOfCapture, evaluateCapture } from "./captureCheck";
import type { CheckOutcome } from "./outcomes";

export type { CheckOutcome };

type Params = { token: string };

/** Published for each pattern evaluation: which engine ran, over how much output (tests, diagnostics). */
export const CHECK_PATTERN_CHANNEL = "wireroom:check-pattern";
const patternChannel = channel(CHECK_PATTERN_CHANNEL);
export type CheckPatternEvent = { engine: string; pattern: string; inputLength: number; cut: boolean; durationMs: number };

const compiled = new Map<string, LabPattern>();
/** Patterns are compiled once per filled source (tokens differ per session: keep the cache small). */
function pattern(source: string): LabPattern {
  let p = compiled.get(source);
  if (!p) {
    if (compiled.size >= 500) compiled.clear();
    p = compileLabPattern(source);
    compiled.set(source, p);
  }
  return p;
}

/** An answer: a Name: line for the name followed by an address. */
const ANSWERED = String.raw`^Name:\s*\S+\s*\nAddress(?: \d+)?:\s*\d+\.\d+\.\d+\.\d+`;
/**
 * A resolver answered that the name has no address (NXDOMAIN, or no A record). Without it, "does not
 * resolve" would pass in a container that can ask no resolver at all (--network none).
 */
const DENIED = String.raw`^\*{2,3} (?:server )?[Cc]an't find \S+: (?:NXDOMAIN|No answer)`;

/** Runs a lab pattern (RE2, linear time) over a probe's output, cut to PROBE_OUTPUT_LIMIT. */
function evaluatePattern<T>(source: string, text: string, run: (p: LabPattern, input: string) => T): T {
  const p = pattern(source);
  const input = text.length > PROBE_OUTPUT_LIMIT ? text.slice(0, PROBE_OUTPUT_LIMIT) : text;
  const started = performance.now();
  const result = run(p, input);
  if (patternChannel.hasSubscribers) {
    const event: CheckPatternEvent = {
      engine: p.engine,
      pattern: source,
      inputLength: input.length,
      cut: text.length >= PROBE_OUTPUT_LIMIT,
      durationMs: performance.now() - started,
    };
    patternChannel.publish(event);
  }
  return result;
}

function extract(text: string, source: string): string | undefined {
  return evaluatePattern(source, text, (p, input) => p.firstGroup(input))
    ?.trim()
    .toLowerCase();
}

/**
 * How a step's checks ask the engine: batched (one exec per container) or one exec per probe (the
 * reference); and the packets the capture checks read (the worker's rolling captures, snapshot on its
 * main thread: worker/capture/checkCaptures.ts). Without them, every capture check fails.
 */
export type AskMode = { batch?: boolean; captures?: CaptureSnapshot };

/**
 * Whether the check holds now, and a message the learner can act on. Throws CheckCouldNotRunError
 * when the engine cannot answer.
 */
export async function evaluate(
  engine: CheckEngine,
  sessionId: string,
  check: Check,
  params: Params,
  mode: AskMode = {},
): Promise<{ passed: boolean; message: string }> {
  const answers = mode.batch === false ? directAnswers(engine, sessionId) : batchedAnswers(engine, sessionId, [check], params);
  return verdict(answers, check, params, mode.captures);
}

type Verdict = { passed: boolean; message: string };

async function verdict(answers: Answers, check: Check, params: Params, captures?: CaptureSnapshot): Promise<Verdict> {
  const fail = (detail?: string) => ({
    passed: false,
    message: detail ? `${fillTemplate(check.failure, params)} (${detail})` : fillTemplate(check.failure, params),
  });
  const pass = { passed: true, message: fillTemplate(check.description, params) };
  try {
    return await holds(answers, check, params, pass, fail, captures);
  } catch (error) {
    if (error instanceof NoRunningContainer) return fail(error.message);
    throw error;
  }
}

async function holds(
  answers: Answers,
  check: Check,
  params: Params,
  pass: Verdict,
  fail: (detail?: string) => Verdict,
  captures?: CaptureSnapshot,
): Promise<Verdict> {
  switch (check.kind) {
    case "output": {
      const out = await answers.output({ container: check.container, command: fillTemplate(check.run, params) });
      return evaluatePattern(fillTemplate(check.matches, params), out, (p, input) => p.test(input)) ? pass : fail();
    }
    case "compare": {
      // Both sides at once; when both fail, the left side's reason is given (not whichever came first).
      const sides = await Promise.allSettled(
        [check.left, check.right].map(async (probe) => {
          const out = await answers.output({ container: probe.container, command: fillTemplate(probe.run, params) });
          return extract(out, fillTemplate(probe.extract, params));
        }),
      );
      const [left, right] = sides.map((side) => {
        if (side.status === "rejected") throw side.reason;
        return side.value;
      });
      if (left === undefined || right === undefined) return fail();
      return (check.op === "equal") === (left === right) ? pass : fail();
    }
    case "container": {
      const state = await answers.inspect(check.name);
      if (!state?.running) return fail(`no running container ${check.name}`);
      if (check.networkMode && state.networkMode !== check.networkMode) return fail(`its network is ${state.networkMode}`);
      return pass;
    }
    case "network": {
      const network = (await answers.networks()).find((n) => n.name === check.name);
      if (!network) return fail(`no network ${check.name}`);
      if (check.driver && network.driver !== check.driver) return fail(`its driver is ${network.driver}`);
      return pass;
    }
    case "resolves": {
      const out = await answers.output({ container: check.container, command: lookup(check.name) });
      const answered = evaluatePattern(ANSWERED, out, (p, input) => p.test(input));
      if (answered) return check.resolves ? pass : fail(`${check.name} resolves in ${check.container}`);
      if (check.resolves) return fail(`${check.name} does not resolve in ${check.container}`);
      return evaluatePattern(DENIED, out, (p, input) => p.test(input))
        ? pass
        : fail(`no resolver answered in ${check.container}`);
    }
    case "capture": {
      // The addresses its names have now (the interface's container first: it must be running).
      const containers = containersOfCapture(check);
      const asked = await Promise.allSettled(containers.map((container) => answers.output({ container, command: ADDRESSES })));
      const known = new Map(
        asked.map((answer, i) => {
          if (answer.status === "rejected") throw answer.reason;
          return [containers[i]!, parseAddresses(answer.value)];
        }),
      );
      const addresses = (end: string) => {
        const container = endContainer(end);
        return container === undefined ? [end] : (known.get(container) ?? []);
      };
      const seen = evaluateCapture(check, captures?.[captureKey(check.on)], addresses);
      return seen.passed ? pass : fail(seen.detail);
    }
  }
}

/**
 * Runs the checks of one step (or of the whole lab), in order; the first that cannot run stops them.
 * Batched by default: every probe asked at once, one exec per container.
 */
export async function runChecks(
  engine: CheckEngine,
  sessionId: string,
  lab: Lab,
  params: Params,
  stepId?: string,
  mode: AskMode = {},
): Promise<CheckOutcome[]> {
  const steps = lab.steps.filter((step) => !stepId || step.id === stepId);
  const answers =
    mode.batch === false
      ? directAnswers(engine, sessionId)
      : batchedAnswers(
          engine,
          sessionId,
          steps.flatMap((s) => s.checks),
          params,
        );
  const outcomes: CheckOutcome[] = [];
  for (const step of steps) {
    for (const check of step.checks) {
      const { passed, message } = await verdict(answers, check, params, mode.captures);
      outcomes.push({ checkId: check.id, stepId: step.id, passed, points: check.points, message });
    }
  }
  return outcomes;
}
