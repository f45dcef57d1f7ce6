// A TTY shell in a running container through `exec`, exposed as the port's TerminalStream.
import type Docker from "dockerode";
import type { Duplex } from "node:stream";
import type { TerminalStream } from "../port";

export async function openExecTerminal(
  container: Docker.Container,
  size: { cols: number; rows: number },
): Promise<TerminalStream> {
  const exec = await container.exec({
    Cmd: ["sh"],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ["TERM=xterm-256color", "HOME=/root"],
    WorkingDir: "/",
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const resize = async ({ cols, rows }: { cols: number; rows: number }) => {
    await exec.resize({ w: cols, h: rows });
  };
  await resize(size).catch(() => {}); // the shell may not have its TTY yet; the client resizes on connect
  return {
    stream,
    resize,
    // Closing our end closes the exec's stdin: the shell reads EOF and exits.
    close: () => {
      stream.end();
      stream.destroy();
    },
  };
}
