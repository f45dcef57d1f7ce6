// The browser's terminal socket while its lab host restarts, against real socket.io servers on
// loopback: the gateway's exit with `resume` → "reconnecting" → attempts with a fresh token each
// time → connected again to the address the newest token names (another port here).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { MOVED_LINE, RESUMING_LINE } from "./exitLine";
import { openTerminalSocket, type ConnectionState, type IssuedToken } from "./socket";

const SESSION = "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11";
const opened: { io: Server; http: HttpServer }[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const { io } of opened.splice(0)) await new Promise<void>((resolve) => io.close(() => resolve()));
});

/** A gateway stand-in: records the tokens it was shown, answers every connection with a snapshot. */
async function gateway(options: { refuse?: string } = {}) {
  const http = createServer();
  const io = new Server(http);
  const tokens: string[] = [];
  if (options.refuse)
    io.of(TERMINAL_NAMESPACE).use((_socket, next) =>
      next(Object.assign(new Error("another host"), { data: { reason: options.refuse } })),
    );
  io.of(TERMINAL_NAMESPACE).on("connection", (socket) => {
    tokens.push((socket.handshake.auth as { token: string }).token);
    socket.emit("snapshot", { data: "/ # ", seq: 4, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: socket.id });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  opened.push({ io, http });
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { io, url, tokens, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

function client(first: IssuedToken, mint: () => Promise<IssuedToken>) {
  const states: ConnectionState[] = [];
  const exits: unknown[] = [];
  const connection = new TerminalConnection({ reset: () => undefined, write: (_data, done) => done() });
  const socket = openTerminalSocket({
    sessionId: SESSION,
    terminal: "busybox1",
    first,
    nextToken: mint,
    connection,
    size: () => ({ cols: 80, rows: 24 }),
    listener: {
      state: (s) => states.push(s),
      joined: () => undefined,
      presence: () => undefined,
      exited: (exit) => exits.push(exit),
      notice: () => undefined,
    },
  });
  closers.push(socket.close);
  return { states, exits, connection, last: () => states.at(-1) };
}

describe("openTerminalSocket while the lab host restarts", () => {
  it("says so, then reconnects by itself with a fresh token each attempt, to the address the newest token names", async () => {
    const first = await gateway();
    let minted = 0;
    let next: { url: string } = { url: first.url };
    const mint = vi.fn(async () => ({ token: `t${++minted}`, url: next.url, clientId: "c1" }));
    const { states, exits, connection, last } = client({ token: "t0", url: first.url, clientId: "c1" }, mint);
    await vi.waitFor(() => expect(last()).toEqual({ kind: "connected" }));

    // The drain: every client hears the exit with resume, then the gateway goes away.
    first.io.of(TERMINAL_NAMESPACE).emit("exit", { reason: "the lab host is restarting", reopen: true, resume: true });
    first.io.of(TERMINAL_NAMESPACE).disconnectSockets(true);
    await first.close();
    await vi.waitFor(() => expect(last()).toEqual({ kind: "resuming", reason: RESUMING_LINE }));
    expect(exits).toEqual([{ reason: "the lab host is restarting", reopen: true, resume: true }]);
    expect(connection.reopen()).toBe(false); // Enter does not reconnect: the loop does

    // Nothing answers the first attempt (1 s); the host comes back elsewhere before the next (2 s later).
    await vi.waitFor(() => expect(mint).toHaveBeenCalledTimes(1), { timeout: 3000 });
    const back = await gateway();
    next = { url: back.url };
    await vi.waitFor(() => expect(back.tokens).toEqual(["t2"]), { timeout: 6000 });
    await vi.waitFor(() => expect(last()).toEqual({ kind: "connected" }));
    expect(connection.exited).toBeUndefined();
    expect(states.filter((s) => s.kind === "closed")).toEqual([]);
  }, 15_000);

  it("gives up with the web's refusal when the session is no longer running", async () => {
    const first = await gateway();
    const refusal = Object.assign(new Error("The lab is failed, not running: a terminal opens once it is ready."), {
      data: { httpStatus: 409 },
    });
    const mint = vi.fn(async (): Promise<IssuedToken> => {
      throw refusal;
    });
    const { last } = client({ token: "t0", url: first.url, clientId: "c1" }, mint);
    await vi.waitFor(() => expect(last()).toEqual({ kind: "connected" }));
    first.io.of(TERMINAL_NAMESPACE).emit("exit", { reason: "the lab host is restarting", reopen: true, resume: true });
    first.io.of(TERMINAL_NAMESPACE).disconnectSockets(true);
    await vi.waitFor(() => expect(last()).toEqual({ kind: "closed", reason: refusal.message }), { timeout: 3000 });
    expect(mint).toHaveBeenCalledTimes(1);
  }, 10_000);

  it("follows a session placed on another lab host: the gateway's other-worker refusal → a fresh token naming the other host", async () => {
    const old = await gateway({ refuse: "other-worker" });
    const moved = await gateway();
    const mint = vi.fn(async () => ({ token: "t-moved", url: moved.url, clientId: "c1" }));
    const { states, last } = client({ token: "t0", url: old.url, clientId: "c1" }, mint);
    await vi.waitFor(() => expect(states).toContainEqual({ kind: "resuming", reason: MOVED_LINE }));
    await vi.waitFor(() => expect(last()).toEqual({ kind: "connected" }), { timeout: 4000 });
    expect(moved.tokens).toEqual(["t-moved"]);
    expect(old.tokens).toEqual([]);
  }, 10_000);

  it("waits for a draining host that refuses with `restarting`: a resume attempt is refused, the next one connects", async () => {
    let refuse = true;
    const http = createServer();
    const io = new Server(http);
    io.of(TERMINAL_NAMESPACE).use((_socket, next) =>
      refuse ? next(Object.assign(new Error("restarting"), { data: { reason: "restarting" } })) : next(),
    );
    io.of(TERMINAL_NAMESPACE).on("connection", (socket) =>
      socket.emit("snapshot", { data: "/ # ", seq: 4, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: socket.id }),
    );
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    opened.push({ io, http });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const mint = vi.fn(async () => {
      if (mint.mock.calls.length >= 1) refuse = false; // back after the first attempt
      return { token: `t${mint.mock.calls.length}`, url, clientId: "c1" };
    });
    const { states, last } = client({ token: "t0", url, clientId: "c1" }, mint);
    await vi.waitFor(() => expect(states).toContainEqual({ kind: "resuming", reason: RESUMING_LINE }));
    await vi.waitFor(() => expect(last()).toEqual({ kind: "connected" }), { timeout: 6000 });
    expect(states.some((s) => s.kind === "closed")).toBe(false);
  }, 10_000);
});
