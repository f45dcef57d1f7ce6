// Terminals under test for the benchmarks: through the gateway (socket.io, as a browser) or raw
// (a dockerode exec stream), with helpers to wait for output and time keystroke echoes.
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import type { Provisioner } from "~/core/provisioner/port";

/** A terminal under test; one output listener at a time. */
export type Pipe = { write(data: string): void; onData(fn: (text: string) => void): void; close(): void };

function listenerSlot() {
  let current: ((t: string) => void) | undefined;
  return { emit: (t: string) => current?.(t), set: (fn: (t: string) => void) => (current = fn) };
}

/** A driver's terminal through the gateway, with a token signed as the web would. */
export async function gatewayPipe(
  secret: string,
  port: number,
  sessionId: string,
  terminal: string,
  owner: string,
): Promise<Pipe> {
  const slot = listenerSlot();
  const connection = new TerminalConnection({ reset: () => {}, write: (d, done) => (slot.emit(d), done()) });
  const token = await signTerminalToken(secret, {
    sub: owner,
    sid: sessionId,
    terminal,
    role: "driver",
    cid: `bench-${randomUUID()}`,
    handle: "bench",
  });
  const socket = io(`http://127.0.0.1:${port}${TERMINAL_NAMESPACE}`, {
    auth: (cb) => cb({ token, sessionId, terminal, ...connection.handshake() }),
    transports: ["websocket"],
    forceNew: true,
  });
  connection.attach(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("snapshot", () => resolve());
    socket.once("connect_error", reject);
  });
  return { write: (d) => connection.send(d), onData: slot.set, close: () => socket.close() };
}

export async function rawPipe(provisioner: Provisioner, sessionId: string, terminal: string): Promise<Pipe> {
  const shell = await provisioner.openTerminal(sessionId, terminal, { cols: 80, rows: 24 });
  const slot = listenerSlot();
  shell.stream.on("data", (b: Buffer) => slot.emit(b.toString("utf8")));
  return { write: (d) => shell.stream.write(d), onData: slot.set, close: () => void shell.close() };
}

/** Resolves once the pipe's recent output satisfies `predicate`. */
export function waitFor(pipe: Pipe, predicate: (seen: string) => boolean): Promise<void> {
  let seen = "";
  return new Promise((resolve) =>
    pipe.onData((t) => {
      seen = (seen + t).slice(-4096);
      if (predicate(seen)) resolve();
    }),
  );
}

/** Type a character, wait for its echo, `count` times; returns round trips in ms. */
export async function echoLatencies(pipe: Pipe, count: number): Promise<number[]> {
  let seen = "";
  let wake: (() => void) | undefined;
  pipe.onData((t) => {
    seen = (seen + t).slice(-64);
    wake?.();
  });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    seen = "";
    const echoed = new Promise<void>((r) => (wake = () => seen.includes("x") && r()));
    const t0 = performance.now();
    pipe.write("x");
    await echoed;
    samples.push(performance.now() - t0);
  }
  pipe.write("\x15"); // Ctrl-U: clear the line
  return samples;
}
