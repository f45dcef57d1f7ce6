// What a step's checks ask the engine, and two ways to ask it: batched (every probe of the step in
// one exec per container, the inspections and the network list once each, all at the same time) and
// one exec per probe (the reference the curriculum test compares against, and CHECK_BATCH=off).
// Either way, an engine error is "could not run" and a learner's container that is not there is a
// failed check (NoRunningContainer), with the same messages.
import type { Check } from "~/core/labs/schema";
import { fillTemplate } from "~/core/labs/schema";
import { containersOfCapture } from "./captureCheck";
import type { NetworkViewEntry, Provisioner } from "~/core/provisioner/port";
import { LabObjectMissingError } from "~/core/provisioner/port";
import { LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import { CheckCouldNotRunError } from "./couldNotRun";

/** What checks need of a provisioner (the check thread builds its own). */
export type CheckEngine = Pick<Provisioner, "run" | "runProbes" | "inspectContainer" | "networkView">;

type Params = { token: string };

/** A probe's time (each probe, in a batch too). */
export const PROBE_TIMEOUT_MS = 5_000;
/**
 * A probe's output is cut to this many bytes before any pattern sees it (in the container for a
 * batch; the Docker adapter stops reading a single exec there). Lab probes print a line or an
 * interface; the learner controls the rest, so it is never read whole.
 */
export const PROBE_OUTPUT_LIMIT = 4096;

/**
 * A container a check runs in is not there (or not running): in a lab the learner builds, that is
 * the learner's to fix, so the check fails with its message rather than "could not run".
 */
export class NoRunningContainer extends Error {
  constructor(readonly container: string) {
    super(`no running container ${container}`);
  }
}

/** The session host and lab DNS are the platform's: the learner cannot make them again. */
const PLATFORM = [SESSION_HOST, LAB_DNS];

/**
 * Asks the engine something. Every kind of check asks through here, so an engine error (unreachable,
 * timed out, one of the platform's own containers not running) is always "could not run", never a
 * failed check; a learner's container that is not there is a failed check (NoRunningContainer).
 */
async function ask<T>(where: string, container: string | undefined, question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    if (error instanceof LabObjectMissingError && container !== undefined && !PLATFORM.includes(container))
      throw new NoRunningContainer(container);
    throw new CheckCouldNotRunError(`${where}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/** `nslookup` with a short wait, so a name that does not resolve answers within the probe's time. */
export const lookup = (name: string) => `nslookup -type=a -timeout=2 -retry=1 ${name} 2>&1`;

/** A container's IPv4 addresses (a capture check's names, resolved at check time). */
export const ADDRESSES = "ip -o -4 addr show 2>&1";

/** The addresses in ADDRESSES' output, loopback left out. */
export function parseAddresses(output: string): string[] {
  const found = [...output.matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3})\//g)].map((m) => m[1]!);
  return [...new Set(found.filter((ip) => !ip.startsWith("127.")))];
}

/** A probe: a command the lab chose, run in one of the session's containers. */
export type Probe = { container: string; command: string };

/** The probes a check runs, filled with the session's params. */
export function probesOf(check: Check, params: Params): Probe[] {
  switch (check.kind) {
    case "output":
      return [{ container: check.container, command: fillTemplate(check.run, params) }];
    case "compare":
      return [check.left, check.right].map((side) => ({ container: side.container, command: fillTemplate(side.run, params) }));
    case "resolves":
      return [{ container: check.container, command: lookup(check.name) }];
    case "capture":
      return containersOfCapture(check).map((container) => ({ container, command: ADDRESSES }));
    case "container":
    case "network":
      return [];
  }
}

/** The engine's answers to a step's checks. Each throws NoRunningContainer or CheckCouldNotRunError. */
export type Answers = {
  output(probe: Probe): Promise<string>;
  inspect(name: string): Promise<{ running: boolean; networkMode: string } | undefined>;
  networks(): Promise<NetworkViewEntry[]>;
};

/** One exec per probe, asked when a check reads it (the reference implementation). */
export function directAnswers(engine: CheckEngine, sessionId: string): Answers {
  return {
    output: ({ container, command }) =>
      ask(`in ${container}`, container, async () => {
        const result = await engine.run(sessionId, container, ["sh", "-c", command], { timeoutMs: PROBE_TIMEOUT_MS });
        return result.output;
      }),
    inspect: (name) => ask(`inspecting ${name}`, undefined, () => engine.inspectContainer(sessionId, name)),
    networks: () => ask("listing networks", undefined, () => engine.networkView(sessionId)),
  };
}

/** Kept for a later await: a rejection is not "unhandled" while nobody has read it yet. */
function held<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Every answer the checks need, asked at once: one batch of probes per container (identical probes
 * once), each inspected container once, the network list once.
 */
export function batchedAnswers(engine: CheckEngine, sessionId: string, checks: Check[], params: Params): Answers {
  const commandsByContainer = new Map<string, string[]>();
  for (const { container, command } of checks.flatMap((c) => probesOf(c, params))) {
    const commands = commandsByContainer.get(container) ?? [];
    if (!commands.includes(command)) commands.push(command);
    commandsByContainer.set(container, commands);
  }
  const outputs = new Map<string, Promise<Map<string, { output: string } | { error: string }>>>();
  for (const [container, commands] of commandsByContainer) {
    const batch = ask(`in ${container}`, container, async () => {
      const results = await engine.runProbes(sessionId, container, commands, {
        timeoutMs: PROBE_TIMEOUT_MS,
        outputLimit: PROBE_OUTPUT_LIMIT,
      });
      return new Map(commands.map((command, i) => [command, results[i] ?? { error: `${command}: no answer` }]));
    });
    outputs.set(container, held(batch));
  }
  const inspected = new Map<string, ReturnType<Answers["inspect"]>>();
  for (const check of checks)
    if (check.kind === "container" && !inspected.has(check.name))
      inspected.set(
        check.name,
        held(ask(`inspecting ${check.name}`, undefined, () => engine.inspectContainer(sessionId, check.name))),
      );
  const networks = checks.some((c) => c.kind === "network")
    ? held(ask("listing networks", undefined, () => engine.networkView(sessionId)))
    : undefined;

  return {
    async output({ container, command }) {
      const result = (await outputs.get(container))?.get(command);
      if (!result) throw new CheckCouldNotRunError(`in ${container}: ${command} was not asked`);
      if ("error" in result) throw new CheckCouldNotRunError(`in ${container}: ${result.error}`, true);
      return result.output;
    },
    inspect: (name) =>
      inspected.get(name) ?? ask(`inspecting ${name}`, undefined, () => engine.inspectContainer(sessionId, name)),
    networks: () => networks ?? ask("listing networks", undefined, () => engine.networkView(sessionId)),
  };
}
