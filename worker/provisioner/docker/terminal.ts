// A TTY shell in a running container through `exec`, exposed as the port's TerminalStream.
import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { TerminalStream } from "~/core/provisioner/port";

/**
 * Closing an exec's connection does not end a TTY shell (the engine keeps the pty open), so each
 * terminal's processes carry a marker in their environment and are hung up by marker on close.
 */
function hangUpScript(marker: string): string {
  return `for p in /proc/[0-9]*; do tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx '${marker}' && kill -HUP "\${p#/proc/}" 2>/dev/null; done; true`;
}

/** Four rarely typed control keys (the engine cannot turn detaching off). */
export const TERMINAL_DETACH_KEYS = "ctrl-^,ctrl-_,ctrl-^,ctrl-_";

async function runToEnd(container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
    stream.resume();
  });
}

export async function openExecTerminal(
  container: Docker.Container,
  size: { cols: number; rows: number },
): Promise<TerminalStream> {
  const marker = `WIREROOM_TERMINAL=${randomUUID()}`;
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
        await runToEnd(container, ["sh", "-c", hangUpScript(marker)]).catch(() => {}); // container may be gone
      })();
      return closing;
    },
  };
}
