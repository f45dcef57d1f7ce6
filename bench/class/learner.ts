// One simulated learner, as the page and its person act: sign up, Start (tRPC), wait READY on the
// live stream (counting a wait in the line apart), open the lab's default terminal (token →
// socket.io) to its first prompt, type bursts through the gateway and the same bursts on a raw
// dockerode exec into the same container (interleaved, the baseline), type the first step's
// solution, press Check and wait for its verdict, Submit and wait for the grade, then Stop.
import type { Lab, Step } from "~/core/labs/schema";
import type { Provisioner } from "~/core/provisioner/port";
import type { SessionView } from "~/core/sessions/sessionView";
import { RunStatus } from "~/protocol/checkRun";
import { parseInstructions } from "~/protocol/instructions";
import { SETTLED, Status } from "~/protocol/sessionStatus";
import { rawPipe, type Pipe } from "../pipes";
import { BenchError, mutate, signUp, type Browser } from "./http";
import { openSessionPage, type SessionPage } from "./live";
import { nextPrompt, openTab, type Tab } from "./terminal";
import { KEY_INTERVAL_MS, typeBurst } from "./typing";

export type LearnerPlan = {
  baseUrl: string;
  index: number;
  lab: Lab;
  provisioner: Provisioner;
  bursts: number;
  burstKeys: number;
  /** Until READY (a wait in the line included). */
  readyTimeoutMs: number;
};

export type LearnerResult = {
  sessionId?: string;
  /** How the start went: READY at once (the pool), a start on a lab host, or a wait in the line first. */
  start?: "pool" | "cold" | "waited";
  clickToPromptMs?: number;
  /** Where click-to-prompt went, each from the click: start answered, READY seen (the answer itself when it was READY), the terminal's snapshot, its prompt. */
  phases?: { startAnswered: number; ready: number; snapshot: number; prompt: number };
  waitedMs?: number;
  echoGatewayMs: number[];
  echoRawMs: number[];
  checkMs?: number;
  checkStatus?: string;
  submitMs?: number;
  submitStatus?: string;
  errors: { kind: string; message: string }[];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Between bursts: with 20-key bursts at 20 keys/s, about 5 keys a second overall. */
const pauseAfter = (keys: number) => keys * KEY_INTERVAL_MS * 3;
const TIMEOUT = { prompt: 30_000, echo: 15_000, verdict: 60_000 };

/** The first step's solve script, if every command is for the default terminal and has no placeholder. */
function solveScript(lab: Lab, step: Step): string[] | undefined {
  const blocks = parseInstructions(step.solution).flatMap((b) => (b.kind === "code" && b.terminal !== null ? [b] : []));
  if (!blocks.length || blocks.some((b) => b.terminal !== lab.defaultTerminal || b.code.includes("{{"))) return undefined;
  return blocks.flatMap((b) => b.code.split("\n").filter((line) => line.trim()));
}

/** Waits until the session is READY; notes a wait in the line (WAITING) and fails on a settled status. */
async function untilReady(page: SessionPage, started: SessionView, clickedAt: number, timeoutMs: number) {
  let waitingFrom = started.status === Status.waiting ? clickedAt : undefined;
  let waitedUntil: number | undefined;
  let settled: string | undefined;
  const readyAt = await page.until(
    "READY",
    (event) => {
      if (event.type !== "session") return false;
      const { status } = event.session;
      const now = performance.now();
      if (status === Status.waiting) waitingFrom ??= now;
      else if (waitingFrom !== undefined) waitedUntil ??= now;
      if (SETTLED.includes(status)) settled = `${status}: ${event.session.statusReason ?? ""}`;
      return status === Status.ready || settled !== undefined;
    },
    timeoutMs,
  );
  if (settled) throw new BenchError(`session ${settled.split(":")[0]}`, `the session ended before it was ready (${settled})`);
  return { readyAt, waitedMs: waitingFrom === undefined ? undefined : (waitedUntil ?? readyAt) - waitingFrom };
}

export async function runLearner(plan: LearnerPlan): Promise<LearnerResult> {
  const result: LearnerResult = { echoGatewayMs: [], echoRawMs: [], errors: [] };
  const { lab } = plan;
  let browser: Browser | undefined;
  let page: SessionPage | undefined;
  let tab: Tab | undefined;
  let raw: Pipe | undefined;
  try {
    browser = await signUp(plan.baseUrl, plan.index);
    const clickedAt = performance.now();
    const started = await mutate<SessionView>(browser, "session.start", { labSlug: lab.slug });
    result.sessionId = started.id;
    page = openSessionPage(browser, started.id);
    const answeredAt = performance.now();
    // A start answered READY (a claim from the pool) opens its terminal at once, as the page can.
    const { readyAt, waitedMs } =
      started.status === Status.ready
        ? { readyAt: answeredAt, waitedMs: undefined }
        : await untilReady(page, started, clickedAt, plan.readyTimeoutMs);
    result.waitedMs = waitedMs;
    result.start = waitedMs !== undefined ? "waited" : started.status === Status.ready ? "pool" : "cold";
    tab = await openTab(browser, started.id, lab.defaultTerminal, TIMEOUT.prompt);
    const promptAt = await Promise.race([
      tab.prompt,
      sleep(TIMEOUT.prompt).then(() => Promise.reject(new BenchError("timeout: first prompt", "no prompt within 30 s"))),
    ]);
    result.clickToPromptMs = promptAt - clickedAt;
    result.phases = {
      startAnswered: answeredAt - clickedAt,
      ready: readyAt - clickedAt,
      snapshot: tab.openedAt - clickedAt,
      prompt: promptAt - clickedAt,
    };

    raw = await rawPipe(plan.provisioner, started.id, lab.defaultTerminal);
    await nextPrompt(raw, TIMEOUT.prompt);
    for (let b = 0; b < plan.bursts; b++) {
      result.echoGatewayMs.push(...(await typeBurst(tab, plan.burstKeys, TIMEOUT.echo)));
      await sleep(pauseAfter(plan.burstKeys));
      result.echoRawMs.push(...(await typeBurst(raw, plan.burstKeys, TIMEOUT.echo)));
      await sleep(pauseAfter(plan.burstKeys));
    }

    const step = lab.steps[0];
    if (step) {
      const script = solveScript(lab, step);
      for (const line of script ?? []) {
        const done = nextPrompt(tab, TIMEOUT.prompt);
        tab.write(`${line}\n`);
        await done;
      }
      const pressed = performance.now();
      const { runId } = await mutate<{ runId: string }>(browser, "grading.check", { sessionId: started.id, stepId: step.id });
      const check = await page.verdict(runId, TIMEOUT.verdict);
      result.checkMs = check.at - pressed;
      result.checkStatus = check.run.status;
      if (script && check.run.status !== RunStatus.passed)
        throw new BenchError(
          `check ${check.run.status} after the solution`,
          `Check: ${check.run.status} (${check.run.reason ?? ""})`,
        );

      const submitted = performance.now();
      const submit = await mutate<{ runId: string }>(browser, "grading.submit", { sessionId: started.id });
      const grade = await page.verdict(submit.runId, TIMEOUT.verdict);
      result.submitMs = grade.at - submitted;
      result.submitStatus = grade.run.status;
      if (grade.run.status === RunStatus.error)
        throw new BenchError("submit error", `Submit could not run: ${grade.run.reason ?? ""}`);
    }
  } catch (error) {
    const kind = error instanceof BenchError ? error.kind : "unexpected";
    result.errors.push({ kind, message: (error as Error).message });
  } finally {
    tab?.close();
    raw?.close();
    page?.close();
    if (browser && result.sessionId)
      await mutate(browser, "session.stop", { sessionId: result.sessionId }).catch((error: unknown) => {
        // Stopping a session that already ended is refused: only a refusal of a live one is an error.
        if (!(error instanceof BenchError && error.kind.endsWith("CONFLICT")))
          result.errors.push({ kind: "stop", message: (error as Error).message });
      });
  }
  return result;
}
