// Typing into a terminal as a learner does, through the gateway: a line and Enter, then waiting for
// the shell to finish it. A command is followed by a marker whose expansion only the shell can
// print (the echoed line shows `$((…))`, the output its value), with the command's exit status.
import type { TerminalClient } from "./harness";

/** Busybox's line editor asks where the cursor is after each prompt (ESC [ 6 n). */
const CURSOR_QUERY = String.raw`\x1b\[6n`;
/**
 * The terminal's answer (ESC [ row ; col R), echoed by the tty as ^[[24;5R when it arrives after
 * the shell already ran the command (the client answers asynchronously, as a browser does).
 */
const LATE_CURSOR_ANSWER = String.raw`\^\[\[\d+;\d+R`;
/** What is not part of a command's output: carriage returns, the cursor query and a late answer. */
const NOISE = new RegExp(`\r|${CURSOR_QUERY}|${LATE_CURSOR_ANSWER}`, "g");

/**
 * What the line editor may send after its prompt: the cursor query and, once it is answered, the
 * prompt again followed by "clear the rest of the screen" (ESC [ J).
 */
const AFTER_PROMPT = String.raw`(\x1b\[[0-9;]*[A-Za-z])*`;
/** A shell's prompt at the end of the output (the host's `/ # `, a container's `/ # `). */
export const PROMPT = new RegExp(`# ${AFTER_PROMPT}$`);
/** A container's shell prompt at the end of the output, on a line of its own. */
export const CONTAINER_PROMPT = new RegExp(`\n[^\n]*/ # ${AFTER_PROMPT}$`);

let marks = 0;

export type Typed = { output: string; exitCode: number };

/** What the terminal printed from `from` on, without the terminal's noise. */
export function printedSince(terminal: TerminalClient, from: number): string {
  return terminal.screen().slice(from).replace(NOISE, "");
}

/**
 * Types `command` and Enter, and returns what the terminal printed for it and its exit status
 * (the command must end where `;` can follow it: not with `&` or a comment).
 */
export async function run(terminal: TerminalClient, command: string, timeoutMs = 20_000): Promise<Typed> {
  const from = terminal.screen().length;
  const n = ++marks;
  const mark = n + 1000;
  terminal.type(`${command}; echo ==$((${n}+1000)):$?==\n`);
  await terminal.waitForOutputAfter(from, new RegExp(`==${mark}:\\d+==`), timeoutMs);
  const output = printedSince(terminal, from);
  const exitCode = Number(new RegExp(`==${mark}:(\\d+)==`).exec(output)![1]);
  return { output, exitCode };
}

/**
 * Types a command and returns what the terminal printed for it. With `until`, types the line alone
 * and waits for that pattern after it (an interactive `docker run -it` ends at the container's
 * prompt); otherwise waits for the command's marker.
 */
export async function type(terminal: TerminalClient, command: string, until?: RegExp, timeoutMs = 20_000): Promise<string> {
  if (!until) return (await run(terminal, command, timeoutMs)).output;
  const from = terminal.screen().length;
  terminal.type(`${command}\n`);
  await terminal.waitForOutputAfter(from, until, timeoutMs);
  return printedSince(terminal, from);
}

/** Starts an interactive container (`docker run -it …`) and waits for its shell's prompt. */
export const runInteractive = (terminal: TerminalClient, command: string) => type(terminal, command, CONTAINER_PROMPT);

/**
 * Leaves a container's shell (`exit`, or Ctrl-P Ctrl-Q to detach) and waits until the host's shell
 * answers. A prompt alone does not say whose it is (the container's line editor may redraw its own
 * after the keys were typed), and a line typed while the CLI is still detaching is lost: so a probe
 * is typed until the shell that answers it is the host's (the only one with `docker`).
 */
export async function exitContainer(terminal: TerminalClient, keys = "exit\n", timeoutMs = 20_000) {
  terminal.type(keys);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the host's shell did not answer within ${timeoutMs} ms of leaving the container`);
    const probe = await run(terminal, "command -v docker >/dev/null", Math.min(left, 3_000)).catch(() => undefined);
    if (probe?.exitCode === 0) return;
  }
}
