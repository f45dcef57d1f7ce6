// Run a platform-chosen command in a container (no TTY) and collect its output and exit code.
// The output is the learner's to shape (a probe may `cat` a file they wrote): only the first
// maxOutput bytes (MAX_OUTPUT unless the caller says) are kept, and the stream is no longer read
// once they are.
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import {
  batchOutputLimit,
  batchTimeoutMs,
  buildProbeScript,
  newNonce,
  probeLine,
  splitProbeOutput,
} from "~/core/grading/batchScript";
import type { ProbeOptions, ProbeResult, RunResult } from "~/core/provisioner/port";
import { newMarker, signalMarked } from "./byMarker";

/** An exec that outlived its time (its marked processes were killed). */
export class RunTimeoutError extends Error {
  constructor(argv: string[], timeoutMs: number) {
    super(`${argv.join(" ")} did not finish within ${timeoutMs} ms`);
    this.name = "RunTimeoutError";
  }
}

/** Lab probes print a line or an interface; checks never look further (src/core/grading/runChecks.ts). */
export const MAX_OUTPUT = 4 * 1024;

export async function runInContainer(
  docker: Docker,
  container: Docker.Container,
  argv: string[],
  timeoutMs: number,
  maxOutput = MAX_OUTPUT,
  env: string[] = [],
): Promise<RunResult> {
  // A probe that outlives its time (a learner's FIFO) is killed by marker, not left blocked in the
  // container at every press until its pids limit.
  const marker = newMarker("WIREROOM_PROBE");
  const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false, Env: [...env, marker] });
  const stream = await exec.start({});
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  let kept = 0;
  let cut = false;
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      void signalMarked(container, marker, "KILL");
      reject(new RunTimeoutError(argv, timeoutMs));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    sink.on("data", (chunk: Buffer) => {
      if (cut) return;
      const room = maxOutput - kept;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      kept += Math.min(chunk.length, room);
      if (kept >= maxOutput) {
        // Enough: stop reading (the command may still be writing; its exit code is then unknown).
        cut = true;
        stream.destroy();
        void signalMarked(container, marker, "KILL");
        done();
      }
    });
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", (error: Error) => {
      if (cut) return;
      clearTimeout(timer);
      reject(error);
    });
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString("utf8") };
}

/**
 * A step's probes in one container: one exec of a script (src/core/grading/batchScript.ts) that
 * bounds and cuts each probe in the container. An image without the script's tools is asked one
 * probe per exec instead.
 */
export async function runProbesInContainer(
  docker: Docker,
  container: Docker.Container,
  commands: string[],
  options: ProbeOptions,
): Promise<ProbeResult[]> {
  if (commands.length === 0) return [];
  const nonce = newNonce();
  const script = buildProbeScript(commands, nonce, options);
  let output: string;
  try {
    const count = commands.length;
    ({ output } = await runInContainer(
      docker,
      container,
      ["sh", "-c", script],
      batchTimeoutMs(count, options),
      batchOutputLimit(count, options),
    ));
  } catch (error) {
    // The whole batch outlived its bound (its processes were killed): no probe's output is kept.
    if (!(error instanceof RunTimeoutError)) throw error;
    return commands.map((command) => ({ error: `${probeLine(command)} did not finish within ${options.timeoutMs} ms` }));
  }
  const results = splitProbeOutput(output, nonce, commands, options);
  if (results) return results;
  const one = (command: string) =>
    runInContainer(docker, container, ["sh", "-c", command], options.timeoutMs, options.outputLimit).then(
      (r): ProbeResult => ({ output: r.output }),
      (error: unknown): ProbeResult => {
        if (error instanceof RunTimeoutError) return { error: error.message };
        throw error;
      },
    );
  const each: ProbeResult[] = [];
  for (const command of commands) each.push(await one(command));
  return each;
}
