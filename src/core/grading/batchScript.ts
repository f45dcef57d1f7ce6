// A step's probes in one container, as ONE `sh -c` script (one `docker exec` instead of one per
// probe), and the script's output split back into each probe's. Each probe runs under busybox
// `timeout` with a marker in its environment: when its time is up, everything it started is killed
// by that marker, so a learner's FIFO leaves nothing behind and the next probe runs. Its output
// (stdout and stderr) is cut in the container (`head -c`) and base64-encoded, so that nothing a
// learner wrote can look like a delimiter; the delimiters carry a random nonce per batch too.
import { randomBytes } from "node:crypto";
import type { ProbeOptions, ProbeResult } from "~/core/provisioner/port";
import { signalScript } from "~/core/provisioner/signalScript";

/** A fresh batch nonce: 128 random bits, hex (delimiters match it literally). */
export function newNonce(): string {
  return randomBytes(16).toString("hex");
}

/** The tools the script needs; an image without them is asked one probe per exec instead. */
const TOOLS = ["timeout", "head", "base64", "tr", "grep"];

/** `timeout`'s status when it killed the probe (128 + SIGKILL). */
const KILLED = 137;

/** A string as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Each probe's marker (an environment entry its processes inherit). */
const probeMarker = (nonce: string, index: number) => `WIREROOM_PROBE=${nonce}.${index}`;

/** How long a probe may run, in `timeout`'s whole seconds. */
const probeSeconds = (timeoutMs: number) => Math.max(1, Math.ceil(timeoutMs / 1000));

/**
 * The script: per probe a begin line, the probe's output in base64, a timed-out line if its time was
 * up, and an end line, each delimiter `\n<nonce>:<index>:<B|T|E>\n`. When a tool is missing, the
 * script says only `\n<nonce>:tools\n`.
 */
export function buildProbeScript(commands: string[], nonce: string, options: ProbeOptions): string {
  const seconds = probeSeconds(options.timeoutMs);
  const lines = [
    // The script's own errors are not a probe's output; fd 3 is the exec's output, for the timed-out
    // line. `timeout` does not get it: its watchdog outlives the probe by up to a second, and the
    // exec's output would stay open as long.
    "exec 3>&1 2>/dev/null",
    `for t in ${TOOLS.join(" ")}; do command -v $t >/dev/null || { printf '\\n%s:tools\\n' ${nonce}; exit 0; }; done`,
  ];
  commands.forEach((command, i) => {
    const marker = probeMarker(nonce, i);
    lines.push(
      `printf '\\n%s:%s:B\\n' ${nonce} ${i}`,
      // Whatever its status, the probe's marker is killed as soon as `timeout` returns: a child it
      // left behind (`sleep 61 & echo forked`) would hold the pipe open and stall `head` to the bound.
      // Status 137 is `timeout`'s kill only when the probe ran its whole time (/proc/uptime, in
      // hundredths of a second): a probe that exits 137 by itself keeps its output, as one exec per probe does.
      `{ read t0 _ </proc/uptime; ${marker} timeout -s KILL ${seconds} sh -c ${shellQuote(command)} </dev/null 2>&1 3>&-; s=$?; ` +
        `read t1 _ </proc/uptime; ${signalScript(marker, "KILL")}; ` +
        `[ $s != ${KILLED} ] || [ $((\${t1%.*}\${t1#*.} - \${t0%.*}\${t0#*.})) -lt ${seconds * 100 - 10} ] || ` +
        `printf '\\n%s:%s:T\\n' ${nonce} ${i} >&3; } ` +
        `| head -c ${options.outputLimit} | base64`,
      `printf '\\n%s:%s:E\\n' ${nonce} ${i}`,
    );
  });
  return lines.join("\n");
}

/** The most output a batch of `count` probes can print (base64's 4/3 and its line breaks, delimiters). */
export function batchOutputLimit(count: number, options: ProbeOptions): number {
  return count * (2 * options.outputLimit + 256) + 256;
}

/** A bound on the whole batch: every probe's time, and a second each for its kill and the exec. */
export function batchTimeoutMs(count: number, options: ProbeOptions): number {
  return count * (probeSeconds(options.timeoutMs) * 1000 + 1000) + 2000;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A probe as its reasons name it: the command line one exec per probe runs (the same words either way). */
export const probeLine = (command: string) => `sh -c ${command}`;

/**
 * Each probe's result from the batch's output: its output, or why it has none (its time was up, or
 * the batch ended before it did). `undefined` when the container lacks a tool the script needs.
 */
export function splitProbeOutput(
  text: string,
  nonce: string,
  commands: string[],
  options: ProbeOptions,
): ProbeResult[] | undefined {
  if (text.includes(`\n${nonce}:tools\n`)) return undefined;
  return commands.map((command, i): ProbeResult => {
    const begin = `\n${nonce}:${i}:B\n`;
    const start = text.indexOf(begin);
    const end = start < 0 ? -1 : text.indexOf(`\n${nonce}:${i}:E\n`, start + begin.length);
    if (end < 0) return { error: `${probeLine(command)} did not finish: the probes ran out of time before it` };
    const body = text.slice(start + begin.length, end);
    if (body.includes(`\n${nonce}:${i}:T\n`))
      return { error: `${probeLine(command)} did not finish within ${options.timeoutMs} ms` };
    const encoded = body.replace(/\s+/g, "");
    if (!BASE64.test(encoded)) return { error: `${probeLine(command)}: its output could not be read` };
    return { output: Buffer.from(encoded, "base64").toString("utf8") };
  });
}
