// The pool of check threads, with a stand-in thread module: answers come back to their request, a
// thread that dies fails only the requests it held (never this process) and the next request gets a
// new thread, "could not run" keeps its kind, and pattern events reach this thread's channel.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { CheckCouldNotRunError } from "~/core/grading/couldNotRun";
import { CHECK_PATTERN_CHANNEL } from "~/core/grading/runChecks";
import { createCheckPool } from "./pool";
import type { CheckRunner } from "./runner";

/** A thread that dies on session "die", cannot run on "engine-down", and answers every other with one outcome. */
const STAND_IN = `
import { parentPort } from "node:worker_threads";
parentPort.on("message", (m) => {
  if (m.sessionId === "die") process.exit(3);
  if (m.sessionId === "stuck") for (;;);
  if (m.sessionId === "engine-down")
    return parentPort.postMessage({ kind: "failed", id: m.id, error: { couldNotRun: true, retryable: true, message: "in host: engine down" } });
  parentPort.postMessage({ kind: "pattern", event: { engine: "re2js", pattern: "x", inputLength: 1, cut: false, durationMs: 0 } });
  setTimeout(() => parentPort.postMessage({ kind: "done", id: m.id, outcomes: [{ checkId: m.sessionId, stepId: "s", passed: m.batch, points: 1, message: JSON.stringify(m.captures ?? null) }] }), 20);
});`;
const entry = new URL(`data:text/javascript,${encodeURIComponent(STAND_IN)}`);
const lab = { slug: "x", steps: [] } as never;
const config = {} as never;

let pool: CheckRunner | undefined;
afterEach(async () => {
  await pool?.close();
});

const start = (size = 1, deadlineMs?: number) =>
  (pool = createCheckPool({ size, batch: true, data: { config, installationId: "i" }, entry, deadlineMs }));
const run = (sessionId: string) => pool!.run({ sessionId, lab, params: { token: "00" } });

describe("the check thread pool", () => {
  it("answers each request with its own outcomes, many at once", async () => {
    start(2);
    const answers = await Promise.all(["a", "b", "c", "d"].map(run));
    expect(answers.map((outcomes) => outcomes[0]?.checkId)).toEqual(["a", "b", "c", "d"]);
    expect(answers[0]?.[0]?.passed).toBe(true); // the pool's batch setting reached the thread
  });

  it("carries a request's capture packets to its thread (rolling captures live on this thread)", async () => {
    start(1);
    const captures = {
      "busybox2/eth0": [{ ts: 1, protocol: "ARP", arp: { op: "request", senderIp: "10.1.0.2", targetIp: "10.1.0.3" } }],
    };
    const [outcome] = await pool!.run({ sessionId: "a", lab, params: { token: "00" }, captures });
    expect(JSON.parse(outcome!.message)).toEqual(captures);
  });

  it("a thread that dies fails the requests it held, not this process; the next request starts a new thread", async () => {
    start(1);
    const held = run("slow");
    await expect(run("die")).rejects.toThrow("the check thread stopped (exit code 3)");
    await expect(held).rejects.toThrow("the check thread stopped (exit code 3)");
    expect((await run("after"))[0]?.checkId).toBe("after");
  });

  it("keeps 'could not run' (and whether a retry may help) across the thread", async () => {
    start(1);
    const error = await run("engine-down").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckCouldNotRunError);
    expect(error).toMatchObject({ message: "in host: engine down", retryable: true });
  });

  it("publishes the thread's pattern events on this thread's channel", async () => {
    start(1);
    const events: unknown[] = [];
    const onEvent = (event: unknown) => events.push(event);
    subscribe(CHECK_PATTERN_CHANNEL, onEvent);
    try {
      await run("a");
    } finally {
      unsubscribe(CHECK_PATTERN_CHANNEL, onEvent);
    }
    expect(events).toEqual([{ engine: "re2js", pattern: "x", inputLength: 1, cut: false, durationMs: 0 }]);
  });

  it("refuses work once closed, and fails the requests under way, as could not run", async () => {
    start(1);
    const held = run("slow").catch((e: unknown) => e);
    await pool!.close();
    expect(await held).toBeInstanceOf(CheckCouldNotRunError);
    await expect(run("a")).rejects.toBeInstanceOf(CheckCouldNotRunError);
  });

  it("ends a thread stuck past the deadline: its requests could not run (retryable), the next gets a new thread", async () => {
    start(1, 500);
    const error = await run("stuck").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckCouldNotRunError);
    expect(error).toMatchObject({ message: "the checks did not finish within 500 ms", retryable: true });
    expect((await run("after"))[0]?.checkId).toBe("after");
  });
});
