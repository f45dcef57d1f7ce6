// Terminal output that is cheap to send and expensive to parse: the worker's headless screen
// parses every byte of it on the main thread. Each attack is run from a lab container's shell;
// each asserts the mechanism that contains it (the screen's parser guard and bounded feeding) and
// that another learner's terminal keeps answering meanwhile (a coarse guard: far above noise, far
// below the seconds seen before), and that the attacker's own terminal works afterwards.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { TerminalConnection } from "~/protocol/terminalConnection";
import type { RunningWorker } from "../../worker/app";
import {
  attackerAndNeighbour,
  connectTerminal,
  echoTime,
  engine,
  type learner,
  testWorker,
  type TerminalClient,
} from "../support/harness";

let worker: RunningWorker;
let sessionId: string;
let neighbourSession: string;
let attacker: Awaited<ReturnType<typeof learner>>;
let neighbour: Awaited<ReturnType<typeof learner>>;
let other: TerminalClient;
const open: TerminalClient[] = [];

/**
 * The attacker's client renders nothing (a test-process xterm parsing the raw output would block
 * this process, which is also the worker's): it keeps the tail of the raw output and acknowledges.
 */
async function attackerClient(terminal: string) {
  let tail = "";
  const waiters = new Set<() => void>();
  // The first write is the snapshot's data (the snapshot event may come before a listener could be added).
  let snapshotData: (data: string) => void = () => {};
  const joined = new Promise<string>((resolve) => (snapshotData = resolve));
  const connection = new TerminalConnection({
    reset: () => {},
    write: (data, done) => {
      tail = (tail + data).slice(-4096);
      snapshotData(data);
      snapshotData = () => {};
      for (const wake of waiters) wake();
      done();
    },
  });
  const cid = randomBytes(16).toString("base64url");
  const token = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
    sub: attacker.id,
    sid: sessionId,
    terminal,
    role: "driver",
    cid,
    handle: "attacker",
  });
  const client = await connectTerminal(worker.port, { token, sessionId, terminal }, { connection });
  open.push(client);
  const waitFor = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(tail)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the attacker's terminal never showed ${pattern}; its tail:\n${JSON.stringify(tail.slice(-300))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { client, waitFor, joined };
}

/** How long the neighbour's shell takes to echo a command (ms). */
const neighbourEcho = (tag: string) => echoTime(other, tag, 60_000);

/**
 * Runs `command` in the attacker's terminal (`terminal`, at `size`) and measures the neighbour's
 * echo until the attacker's screen has parsed everything (a late joiner's snapshot waits for that).
 * Returns the echo times; stops early once one is over the bound (the outcome is then clear).
 */
async function attack(terminal: string, command: string, size?: { cols: number; rows: number }) {
  const first = await attackerClient(terminal);
  await first.joined;
  if (size) {
    first.client.emit("resize", size);
    await new Promise<void>((resolve) =>
      first.client.on("presence", (p) => p.size.cols === size.cols && p.size.rows === size.rows && resolve()),
    );
  }
  const tag = randomBytes(3).toString("hex");
  first.client.type(`${command}; echo ${tag}-$((20+1))-done\n`);
  // Over once the shell has written it all and the screen has parsed it: a late joiner's snapshot
  // is serialised once the screen has parsed everything received.
  let over = false;
  const finished = (async () => {
    await first.waitFor(new RegExp(`${tag}-21-done`));
    const late = await attackerClient(terminal);
    await late.joined;
    late.client.close();
  })().finally(() => (over = true));
  const echoes: number[] = [];
  while (!over && echoes.every((ms) => ms < 500)) echoes.push(await neighbourEcho(`n${tag}${echoes.length}`));
  await finished;
  expect(echoes.length).toBeGreaterThan(0);
  // The attacker's own terminal still answers, and its screen keeps up.
  first.client.type(`echo ${tag}-alive-$((3*3))\n`);
  await first.waitFor(new RegExp(`${tag}-alive-9\\r\\n`), 30_000);
  const third = await attackerClient(terminal);
  expect(await third.joined).toContain(`${tag}-alive-9`);
  for (const c of [first.client, third.client]) c.close();
  return echoes;
}

/** The screens' counters (worker/gateway/screenFeeder.ts), summed over every terminal of the worker. */
async function screenCounters() {
  const { screenFeeds } = await import("../../worker/gateway/screenFeeder");
  return screenFeeds.stats;
}

beforeAll(async () => {
  worker = await testWorker();
  ({ attacker, neighbour, attackSession: sessionId, neighbourSession } = await attackerAndNeighbour("two-bridges", "none"));
  const token = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
    sub: neighbour.id,
    sid: neighbourSession,
    terminal: "closed",
    role: "driver",
    cid: randomBytes(16).toString("base64url"),
    handle: "neighbour",
  });
  other = await connectTerminal(worker.port, { token, sessionId: neighbourSession, terminal: "closed" });
  open.push(other);
  await neighbourEcho("warm");
});

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await Promise.all([sessionId, neighbourSession].map((id) => id && engine.teardown(id)));
});

describe("output that is expensive to parse", () => {
  it("scroll-up by 999 lines, 4,000 times at 80×24: counts clamped to the screen", async () => {
    const echoes = await attack("busybox1", "i=0; while [ $i -lt 4000 ]; do printf '\\033[999S'; i=$((i+1)); done");
    expect(Math.max(...echoes)).toBeLessThan(500); // 6.1 s was seen for 2,048 of them
    const stats = await screenCounters();
    expect(stats.clamped).toBeGreaterThanOrEqual(4000);
    expect(stats.maxStepMs).toBeLessThan(250);
  }, 180_000);

  it("repeat the last character 65,535 times (REP), 4,000 times: one line at most", async () => {
    const before = (await screenCounters()).clamped;
    const echoes = await attack("busybox1", "i=0; while [ $i -lt 4000 ]; do printf 'x\\033[65535b'; i=$((i+1)); done");
    expect(Math.max(...echoes)).toBeLessThan(500);
    expect((await screenCounters()).clamped - before).toBeGreaterThanOrEqual(4000);
  }, 180_000);

  it("DECALN (fill the screen with E) 4,000 times at the largest size: dropped", async () => {
    const before = (await screenCounters()).dropped;
    const echoes = await attack("busybox2", "i=0; while [ $i -lt 4000 ]; do printf '\\033#8\\n'; i=$((i+1)); done", {
      cols: 500,
      rows: 200,
    });
    expect(Math.max(...echoes)).toBeLessThan(500);
    expect((await screenCounters()).dropped - before).toBeGreaterThanOrEqual(4000);
  }, 180_000);

  it("scroll-down by the whole screen, 600 times at the largest size: fed in short steps, the attacker throttled", async () => {
    const stats = await screenCounters();
    const throttledBefore = stats.throttled;
    stats.maxStepMs = 0;
    const echoes = await attack("host", "i=0; while [ $i -lt 600 ]; do printf '\\033[999T'; i=$((i+1)); done", {
      cols: 500,
      rows: 200,
    });
    expect(Math.max(...echoes)).toBeLessThan(500);
    expect(stats.throttled).toBeGreaterThan(throttledBefore); // over its parse-time budget: paused
    expect(stats.maxStepMs).toBeLessThan(250); // one sequence is the smallest step: ~6 ms here, 70 ms seen under a loaded CI (preemption counts)
  }, 240_000);
});
