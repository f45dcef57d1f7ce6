// A learner's output is the input of the lab's check patterns: a pattern such as
// `(\d+\.\d+\.\d+\.\d+)` over a file of digits backtracks quadratically in JavaScript's engine and
// froze every terminal of the worker for seconds. The check must use the linear-time engine (RE2)
// over a probe's output cut to a few KiB, and a neighbour's terminal must keep answering.
import { randomBytes } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import type { RunningWorker } from "../../worker/app";
import {
  attackerAndNeighbour,
  connectTerminal,
  db,
  echoTime,
  engine,
  eventually,
  type learner,
  testWorker,
  type TerminalClient,
} from "../support/harness";

let worker: RunningWorker;
let attacker: Awaited<ReturnType<typeof learner>>;
let neighbour: Awaited<ReturnType<typeof learner>>;
let attackSession: string;
let neighbourSession: string;
let terminal: TerminalClient | undefined;

beforeAll(async () => {
  worker = await testWorker();
  ({ attacker, neighbour, attackSession, neighbourSession } = await attackerAndNeighbour("bridge-basics", "bridge-basics"));
});

afterAll(async () => {
  terminal?.close();
  await worker?.stop();
  await Promise.all([attackSession, neighbourSession].map((id) => engine.teardown(id)));
});

/** How long the neighbour's shell takes to echo a command (ms). */
const echo = (client: TerminalClient, tag: string) => echoTime(client, tag, 120_000);

type PatternEvent = { engine: string; inputLength: number; cut: boolean; durationMs: number };

it(
  "evaluates a check over 256 KiB of adversarial output with RE2 over cut output, while a neighbour's terminal answers",
  { timeout: 180_000 },
  async () => {
    // 256 KiB of digits and no dot: the worst case for the lab's own pattern in a backtracking engine.
    const written = await engine.run(attackSession, "busybox1", [
      "sh",
      "-c",
      "head -c 262144 /dev/zero | tr '\\0' 1 > /tmp/my-ip; wc -c < /tmp/my-ip",
    ]);
    expect(written.output.trim()).toBe("262144");

    // A token as the web signs it for the neighbour's own terminal.
    const cid = randomBytes(16).toString("base64url");
    const token = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
      sub: neighbour.id,
      sid: neighbourSession,
      terminal: "busybox1",
      role: "driver",
      cid,
      handle: "neighbour",
    });
    terminal = await connectTerminal(worker.port, { token, sessionId: neighbourSession, terminal: "busybox1", clientId: cid });
    await echo(terminal, "warm");

    const events: PatternEvent[] = [];
    const onEvent = (message: unknown) => events.push(message as PatternEvent);
    subscribe("wireroom:check-pattern", onEvent);
    try {
      const requested = new Date();
      await attacker.api.grading.check({ sessionId: attackSession, stepId: "container-address" });
      // The neighbour types all along, so every echo is timed while the check runs.
      const echoes: number[] = [];
      const result = await eventually(
        "the check's result",
        async () => {
          echoes.push(await echo(terminal!, `n${echoes.length}`));
          return (
            (await db().checkResult.findFirst({
              where: { sessionId: attackSession, checkId: "my-ip", updatedAt: { gte: requested } },
            })) ?? undefined
          );
        },
        { timeoutMs: 150_000, intervalMs: 0 },
      );
      expect(result.passed).toBe(false);

      // The mechanism: every pattern ran on RE2, over at most 4 KiB; the attacker's file was cut.
      expect(events.length).toBeGreaterThanOrEqual(4); // my-ip and my-mask: two probes each
      for (const event of events) {
        expect(event.engine).toBe("re2js");
        expect(event.inputLength).toBeLessThanOrEqual(4096);
      }
      expect(events.some((e) => e.cut && e.inputLength > 1024)).toBe(true);
      // A coarse guard (3.3 s was seen for 64 KiB): the neighbour's echo never stalls.
      expect(Math.max(...echoes)).toBeLessThan(500);
    } finally {
      unsubscribe("wireroom:check-pattern", onEvent);
    }
  },
);
