// Connects one authenticated socket to a shell in its container: keystrokes in, screen out.
import { StringDecoder } from "node:string_decoder";
import type { Socket } from "socket.io";
import {
  inputSchema,
  resizeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "~/shared/terminal-protocol";
import type { Provisioner, TerminalStream } from "../provisioner/port";
import type { SocketData } from "./authenticate";

type TerminalSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export async function bridgeTerminal(socket: TerminalSocket, provisioner: Provisioner): Promise<void> {
  const { sid, terminal } = socket.data.claims;
  let shell: TerminalStream | undefined;
  const early: string[] = []; // keystrokes sent before the shell is attached, in order
  let closed = false;

  socket.on("input", (data) => {
    const parsed = inputSchema.safeParse(data);
    if (!parsed.success) {
      socket.emit("error", { code: "bad-request", message: "input must be a string of at most 16 KiB" });
      return;
    }
    if (shell) shell.stream.write(parsed.data);
    else early.push(parsed.data);
  });
  socket.on("resize", (size) => {
    const parsed = resizeSchema.safeParse(size);
    if (!parsed.success) {
      socket.emit("error", { code: "bad-request", message: "resize needs integer cols (2-1000) and rows (2-500)" });
      return;
    }
    shell?.resize(parsed.data).catch(() => {});
  });
  socket.on("disconnect", () => {
    closed = true;
    void shell?.close();
  });

  try {
    shell = await provisioner.openTerminal(sid, terminal, { cols: 80, rows: 24 });
  } catch (error) {
    socket.emit("error", { code: "unavailable", message: (error as Error).message });
    socket.disconnect(true);
    return;
  }
  if (closed) return void shell.close();

  const decoder = new StringDecoder("utf8"); // never split a multi-byte character across events
  shell.stream.on("data", (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) socket.emit("output", text);
  });
  shell.stream.on("close", () => {
    if (closed) return;
    socket.emit("exit", { reason: "the shell exited; reload to open a new one" });
    socket.disconnect(true);
  });
  shell.stream.on("error", () => {});
  for (const data of early.splice(0)) shell.stream.write(data);
}
