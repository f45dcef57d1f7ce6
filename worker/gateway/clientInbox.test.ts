import { describe, expect, it } from "vitest";
import { ClientInbox, MAX_EARLY_MESSAGES, type ClientMessage } from "./clientInbox";
import { FakeSocket } from "./fakeSocket";

describe("ClientInbox", () => {
  it("keeps what a client sends before it is opened, in order, then delivers as messages arrive", () => {
    const socket = new FakeSocket();
    const inbox = new ClientInbox(socket);
    socket.send("resize", { cols: 100, rows: 30 });
    socket.send("input", { seq: 1, data: "ls\r" });
    socket.send("takeover");
    const delivered: ClientMessage[] = [];
    inbox.open((message) => delivered.push(message));
    socket.send("ack", { seq: 5 });
    expect(delivered).toEqual([
      { event: "resize", args: [{ cols: 100, rows: 30 }] },
      { event: "input", args: [{ seq: 1, data: "ls\r" }] },
      { event: "takeover", args: [] },
      { event: "ack", args: [{ seq: 5 }] },
    ]);
  });

  it("names unknown events without their payload", () => {
    const socket = new FakeSocket();
    const inbox = new ClientInbox(socket);
    const delivered: ClientMessage[] = [];
    inbox.open((message) => delivered.push(message));
    socket.send("format-disk", { all: true });
    expect(delivered).toEqual([{ event: null, name: "format-disk" }]);
  });

  it("keeps at most MAX_EARLY_MESSAGES before it is opened and counts the rest as dropped", () => {
    const socket = new FakeSocket();
    const inbox = new ClientInbox(socket);
    for (let seq = 1; seq <= MAX_EARLY_MESSAGES + 7; seq++) socket.send("input", { seq, data: "x" });
    const delivered: ClientMessage[] = [];
    inbox.open((message) => delivered.push(message));
    expect(delivered).toHaveLength(MAX_EARLY_MESSAGES);
    expect(delivered.at(-1)).toEqual({ event: "input", args: [{ seq: MAX_EARLY_MESSAGES, data: "x" }] });
    expect(inbox.dropped).toBe(7);
  });
});
