// Runs a lab's declarative checks against the live state of a session's containers: those the lab
// started and those the learner made (a container that is not there fails the check, with its
// message). The commands come from the lab files, never from a learner, and run only inside the
// session's containers.
// Their output is the learner's, so patterns run on RE2 (linear time) over output cut to 4 KiB:
// a check cannot stall the worker's event loop, which the terminals share.
import { channel } from "node:diagnostics_channel";
import { compileLabPattern, type LabPattern } from "~/core/labs/pattern";
import type { Check, Lab } from "~/core/labs/schema";
import { fillTemplate } from "~/core/labs/schema";
import { LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import { LabObjectMissingError, type Provisioner } from "../provisioner/port";
import { CheckCouldNotRunError } from "./couldNotRun";
import type { CheckOutcome } from "./outcomes";

export type { CheckOutcome };

type Params = { token: string };

const RUN_TIMEOUT_MS = 5_000;
/**
 * A probe's output is cut to this many characters before any pattern sees it (the Docker adapter
 * already stops reading the exec stream there). Lab probes print a line or an interface; the
 * learner controls the rest, so it is never read whole.
 */
export const PROBE_OUTPUT_LIMIT = 4096;

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

/**
 * Asks the engine something. Every kind of check asks through here, so an engine error (unreachable,
 * timed out, one of the platform's own containers not running) is always "could not run", never a
 * failed check; a learner's container that is not there is a failed check (NoRunningContainer).
 */
async function ask<T>(where: string, question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    if (error instanceof NoRunningContainer) throw error;
    throw new CheckCouldNotRunError(`${where}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/**
 * A container a check runs in is not there (or not running): in a lab the learner builds, that is
 * the learner's to fix, so the check fails with its message rather than "could not run".
 */
const PLATFORM = [SESSION_HOST, LAB_DNS];

class NoRunningContainer extends Error {
  constructor(readonly container: string) {
    super(`no running container ${container}`);
  }
}

async function output(provisioner: Provisioner, sessionId: string, container: string, command: string): Promise<string> {
  const result = await ask(`in ${container}`, async () => {
    try {
      return await provisioner.run(sessionId, container, ["sh", "-c", command], { timeoutMs: RUN_TIMEOUT_MS });
    } catch (error) {
      // The session host and lab DNS are the platform's: the learner cannot make them again.
      if (error instanceof LabObjectMissingError && !PLATFORM.includes(container)) throw new NoRunningContainer(container);
      throw error;
    }
  });
  return result.output;
}

/** `nslookup` with a short wait, so a name that does not resolve answers within the probe's time. */
const lookup = (name: string) => `nslookup -type=a -timeout=2 -retry=1 ${name} 2>&1`;
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
 * Whether the check holds now, and a message the learner can act on. Throws CheckCouldNotRunError
 * when the engine cannot answer.
 */
export async function evaluate(
  provisioner: Provisioner,
  sessionId: string,
  check: Check,
  params: Params,
): Promise<{ passed: boolean; message: string }> {
  const fail = (detail?: string) => ({
    passed: false,
    message: detail ? `${fillTemplate(check.failure, params)} (${detail})` : fillTemplate(check.failure, params),
  });
  const pass = { passed: true, message: fillTemplate(check.description, params) };
  try {
    return await holds(provisioner, sessionId, check, params, pass, fail);
  } catch (error) {
    if (error instanceof NoRunningContainer) return fail(error.message);
    throw error;
  }
}

type Verdict = { passed: boolean; message: string };

async function holds(
  provisioner: Provisioner,
  sessionId: string,
  check: Check,
  params: Params,
  pass: Verdict,
  fail: (detail?: string) => Verdict,
): Promise<Verdict> {
  switch (check.kind) {
    case "output": {
      const out = await output(provisioner, sessionId, check.container, fillTemplate(check.run, params));
      return evaluatePattern(fillTemplate(check.matches, params), out, (p, input) => p.test(input)) ? pass : fail();
    }
    case "compare": {
      const [left, right] = await Promise.all(
        [check.left, check.right].map(async (probe) => {
          const out = await output(provisioner, sessionId, probe.container, fillTemplate(probe.run, params));
          return extract(out, fillTemplate(probe.extract, params));
        }),
      );
      if (left === undefined || right === undefined) return fail();
      return (check.op === "equal") === (left === right) ? pass : fail();
    }
    case "container": {
      const state = await ask(`inspecting ${check.name}`, () => provisioner.inspectContainer(sessionId, check.name));
      if (!state?.running) return fail(`no running container ${check.name}`);
      if (check.networkMode && state.networkMode !== check.networkMode) return fail(`its network is ${state.networkMode}`);
      return pass;
    }
    case "network": {
      const network = (await ask("listing networks", () => provisioner.networkView(sessionId))).find(
        (n) => n.name === check.name,
      );
      if (!network) return fail(`no network ${check.name}`);
      if (check.driver && network.driver !== check.driver) return fail(`its driver is ${network.driver}`);
      return pass;
    }
    case "resolves": {
      const out = await output(provisioner, sessionId, check.container, lookup(check.name));
      const answered = evaluatePattern(ANSWERED, out, (p, input) => p.test(input));
      if (answered) return check.resolves ? pass : fail(`${check.name} resolves in ${check.container}`);
      if (check.resolves) return fail(`${check.name} does not resolve in ${check.container}`);
      return evaluatePattern(DENIED, out, (p, input) => p.test(input))
        ? pass
        : fail(`no resolver answered in ${check.container}`);
    }
  }
}

/** Runs the checks of one step (or of the whole lab), in order; the first that cannot run stops them. */
export async function runChecks(
  provisioner: Provisioner,
  sessionId: string,
  lab: Lab,
  params: Params,
  stepId?: string,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const step of lab.steps) {
    if (stepId && step.id !== stepId) continue;
    for (const check of step.checks) {
      const { passed, message } = await evaluate(provisioner, sessionId, check, params);
      outcomes.push({ checkId: check.id, stepId: step.id, passed, points: check.points, message });
    }
  }
  return outcomes;
}
