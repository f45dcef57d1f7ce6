// Run a platform-chosen command in a container (no TTY) and collect its output and exit code.
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { RunResult } from "../port";

const MAX_OUTPUT = 256 * 1024;

export async function runInContainer(
  docker: Docker,
  container: Docker.Container,
  argv: string[],
  timeoutMs: number,
): Promise<RunResult> {
  const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({});
  const sink = new PassThrough();
  let output = "";
  sink.on("data", (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString("utf8");
  });
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`${argv.join(" ")} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output };
}
