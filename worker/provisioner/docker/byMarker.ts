// Processes an exec started carry a marker in their environment, so that they can be signalled
// after the exec's connection is gone: closing the connection ends neither a TTY shell (the engine
// keeps the pty open) nor a probe blocked on a FIFO. One definition for both.
import { randomUUID } from "node:crypto";
import type Docker from "dockerode";
import { signalScript } from "~/core/provisioner/signalScript";

/** A fresh `NAME=<uuid>` environment entry. */
export function newMarker(name: string): string {
  return `${name}=${randomUUID()}`;
}

/** How long a signalling exec may take before it is given up (a stuck engine must not hang a close). */
const SIGNAL_DEADLINE_MS = 5_000;

/** Runs `cmd` in the container and waits for its end, at most SIGNAL_DEADLINE_MS (its output is dropped). */
export async function runToEnd(container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve();
    }, SIGNAL_DEADLINE_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
    stream.resume();
  });
}

/** Sends `signal` to the marked processes (the container may be gone: nothing to do then). */
export async function signalMarked(container: Docker.Container, marker: string, signal: "HUP" | "KILL"): Promise<void> {
  await runToEnd(container, ["sh", "-c", signalScript(marker, signal)]).catch(() => {});
}
