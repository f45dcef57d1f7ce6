// Run a platform-chosen command in a container (no TTY) and collect its output and exit code.
// The output is the learner's to shape (a probe may `cat` a file they wrote): only the first
// MAX_OUTPUT bytes are kept, and the stream is no longer read once they are.
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { RunResult } from "~/core/provisioner/port";
import { newMarker, signalMarked } from "./byMarker";

/** Lab probes print a line or an interface; checks never look further (src/core/grading/runChecks.ts). */
export const MAX_OUTPUT = 4 * 1024;

export async function runInContainer(
  docker: Docker,
  container: Docker.Container,
  argv: string[],
  timeoutMs: number,
): Promise<RunResult> {
  // A probe that outlives its time (a learner's FIFO) is killed by marker, not left blocked in the
  // container at every press until its pids limit.
  const marker = newMarker("WIREROOM_PROBE");
  const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false, Env: [marker] });
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
      reject(new Error(`${argv.join(" ")} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    sink.on("data", (chunk: Buffer) => {
      if (cut) return;
      const room = MAX_OUTPUT - kept;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      kept += Math.min(chunk.length, room);
      if (kept >= MAX_OUTPUT) {
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
