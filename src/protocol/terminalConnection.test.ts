import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { TerminalConnection } from "./terminalConnection";
import { ackSchema, handshakeSchema, inputSchema, MAX_INPUT_BYTES, resizeSchema } from "./terminalProtocol";

describe("terminal protocol schemas", () => {
  it("accept well-formed messages", () => {
    expect(inputSchema.parse({ seq: 1, data: "ls\n" })).toEqual({ seq: 1, data: "ls\n" });
    expect(resizeSchema.parse({ cols: 120, rows: 40 })).toEqual({ cols: 120, rows: 40 });
    expect(resizeSchema.parse({ cols: 500, rows: 200 })).toEqual({ cols: 500, rows: 200 });
    expect(ackSchema.parse({ seq: 0 })).toEqual({ seq: 0 });
    const hs = { token: "t", sessionId: "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11", terminal: "busybox1" };
    expect(handshakeSchema.parse({ ...hs, resumeFrom: 10 })).toEqual({ ...hs, resumeFrom: 10 });
  });

  it.each([
    [inputSchema, { seq: 0, data: "x" }],
    [inputSchema, { seq: 1, data: "" }],
    [inputSchema, { seq: 1, data: "x".repeat(MAX_INPUT_BYTES + 1) }],
    [inputSchema, "ls\n"],
    [resizeSchema, { cols: 1, rows: 24 }],
    [resizeSchema, { cols: 80.5, rows: 24 }],
    [resizeSchema, { cols: 501, rows: 24 }],
    [resizeSchema, { cols: 80, rows: 201 }],
    [ackSchema, { seq: -1 }],
    [handshakeSchema, { token: "t", sessionId: "nope", terminal: "busybox1" }],
    [handshakeSchema, { token: "t", sessionId: "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11", terminal: "../x" }],
  ])("reject malformed payloads (%#)", (schema, payload) => {
    expect(schema.safeParse(payload).success).toBe(false);
  });
});

/** A stand-in for a socket.io client socket: records what is emitted, delivers what the test sends. */
function fakeSocket() {
  const events = new EventEmitter();
  const sent: [string, unknown][] = [];
  const socket = {
    connected: true,
    on: (event: string, fn: (...args: unknown[]) => void) => events.on(event, fn),
    emit: (event: string, payload: unknown) => sent.push([event, payload]),
    connects: 0,
    disconnect: () => ((socket.connected = false), socket),
    connect: () => ((socket.connected = true), socket.connects++, socket),
  };
  return { socket, sent, deliver: (event: string, payload?: unknown) => events.emit(event, payload) };
}

describe("TerminalConnection", () => {
  function setup() {
    let screen = "";
    const connection = new TerminalConnection({ reset: () => (screen = ""), write: (d, done) => ((screen += d), done()) });
    const fake = fakeSocket();
    connection.attach(fake.socket as never);
    return { connection, fake, screen: () => screen };
  }

  it("holds keystrokes until the server is ready, then sends them in order", () => {
    const { connection, fake } = setup();
    connection.send("a");
    connection.send("b");
    expect(fake.sent).toEqual([]);
    fake.deliver("snapshot", { data: "$ ", seq: 2, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: "c0ffee" });
    expect(fake.sent.filter(([e]) => e === "input")).toEqual([
      ["input", { seq: 1, data: "a" }],
      ["input", { seq: 2, data: "b" }],
    ]);
  });

  it("renders output once, trimming overlaps, and resumes from its offset", () => {
    const { connection, fake, screen } = setup();
    fake.deliver("snapshot", { data: "abc", seq: 3, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: "c0ffee" });
    fake.deliver("output", { seq: 3, data: "abc" }); // already in the snapshot
    fake.deliver("output", { seq: 5, data: "cde" }); // overlaps by one
    fake.deliver("output", { seq: 6, data: "f" });
    expect(screen()).toBe("abcdef");
    expect(connection.handshake()).toEqual({ resumeFrom: 6 });
  });

  it("resends unacknowledged keystrokes after a reconnect, never acknowledged ones", () => {
    const { connection, fake } = setup();
    fake.deliver("snapshot", { data: "", seq: 0, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: "c0ffee" });
    connection.send("x");
    connection.send("y");
    fake.deliver("inputAck", { seq: 1 });
    fake.deliver("disconnect");
    fake.sent.length = 0;
    fake.deliver("connect");
    fake.deliver("inputAck", { seq: 1 }); // the resumed server says what it has applied
    expect(fake.sent).toEqual([["input", { seq: 2, data: "y" }]]);
    expect(connection.pendingInputs).toBe(1);
  });

  const snapshot = (data: string) => ({ data, seq: data.length, cols: 80, rows: 24, inputSeq: 0, role: "driver", you: "c0ffee" });

  it("after an exit that offers a new shell: drops keys, reconnects on Enter, and starts from a fresh snapshot", () => {
    const { connection, fake, screen } = setup();
    fake.deliver("snapshot", snapshot("/ # "));
    connection.send("exit\r");
    fake.deliver("exit", { reason: "shell exited", reopen: true });
    fake.deliver("disconnect");
    expect(connection.pendingInputs).toBe(0); // the old shell's keystrokes are not resent to the new one
    fake.sent.length = 0;
    connection.send("ls");
    expect(fake.socket.connects).toBe(0);
    connection.send("\r");
    expect(fake.socket.connects).toBe(1);
    expect(connection.exited).toBeUndefined();
    expect(connection.handshake()).toEqual({}); // no resumeFrom: the new shell's offsets start again
    fake.deliver("connect");
    fake.deliver("snapshot", snapshot("~ # "));
    expect(screen()).toBe("~ # ");
    expect(fake.sent.filter(([e]) => e === "input")).toEqual([]); // neither "ls" nor the Enter reach the new shell
  });

  it("types a clicked command into a new shell after an exit that offers one; nothing after one that does not", () => {
    const { connection, fake } = setup();
    fake.deliver("snapshot", snapshot("/ # "));
    fake.deliver("exit", { reason: "shell exited", reopen: true });
    fake.deliver("disconnect");
    connection.type("ip a");
    expect(fake.socket.connects).toBe(1);
    fake.deliver("connect");
    fake.deliver("snapshot", snapshot("/ # "));
    expect(fake.sent.filter(([e]) => e === "input").map(([, m]) => (m as { data: string }).data)).toEqual(["ip a"]);

    fake.deliver("exit", { reason: "container busybox1 was removed; its terminal is closed", reopen: false });
    fake.deliver("disconnect");
    connection.type("ip a");
    connection.send("\r");
    expect(fake.socket.connects).toBe(1);
    expect(connection.pendingInputs).toBe(0);
  });

  it("while the lab host restarts: Enter does not reconnect (the socket's owner does), and once resumed keys reach the new shell", () => {
    const { connection, fake, screen } = setup();
    fake.deliver("snapshot", snapshot("/ # "));
    fake.deliver("exit", { reason: "the lab host is restarting", reopen: true, resume: true });
    fake.deliver("disconnect");
    connection.send("ls\r");
    connection.type("ip a");
    expect(connection.reopen()).toBe(false);
    expect(fake.socket.connects).toBe(0);
    expect(connection.pendingInputs).toBe(0);
    expect(connection.handshake()).toEqual({}); // the restarted host opens a new shell: a fresh snapshot
    // The owner reconnected (to the same socket, or attached a new one) and the host answered.
    const next = fakeSocket();
    connection.attach(next.socket as never);
    next.deliver("connect");
    connection.resumed();
    connection.type("hostname");
    expect(next.sent.filter(([e]) => e === "input")).toEqual([]); // held until the new shell's snapshot
    next.deliver("snapshot", snapshot("~ # "));
    expect(screen()).toBe("~ # ");
    expect(next.sent.filter(([e]) => e === "input").map(([, m]) => (m as { data: string }).data)).toEqual(["hostname"]);
  });
});
