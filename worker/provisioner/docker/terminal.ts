// A TTY shell in a running container through `exec`, exposed as the port's TerminalStream.
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { TerminalStream } from "~/core/provisioner/port";
import { newMarker, signalMarked } from "./byMarker";

/** Four rarely typed control keys (the engine cannot turn detaching off). */
export const TERMINAL_DETACH_KEYS = "ctrl-^,ctrl-_,ctrl-^,ctrl-_";

export async function openExecTerminal(
  container: Docker.Container,
  size: { cols: number; rows: number },
): Promise<TerminalStream> {
  // Closing an exec's connection does not end a TTY shell: its processes are hung up by marker.
  const marker = newMarker("WIREROOM_TERMINAL");
  const exec = await container.exec({
    Cmd: ["sh"],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ["TERM=xterm-256color", "HOME=/root", marker],
    WorkingDir: "/",
    // The engine's default detach keys (Ctrl-P Ctrl-Q) would end this exec when a learner detaches
    // from a `docker run -it` inside the shell: the terminal's own exec takes a sequence no one types.
    DetachKeys: TERMINAL_DETACH_KEYS,
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const resize = async ({ cols, rows }: { cols: number; rows: number }) => {
    await exec.resize({ w: cols, h: rows });
  };
  await resize(size).catch(() => {}); // the client sends its real size once connected
  let closing: Promise<void> | undefined;
  return {
    stream,
    resize,
    close: () => {
      closing ??= (async () => {
        stream.destroy();
        await signalMarked(container, marker, "HUP");
      })();
      return closing;
    },
  };
}
