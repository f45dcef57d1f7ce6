// SharedTerminal over the fake provisioner's in-memory shell and in-memory sockets: input policy,
// sequencing, flow control and batching, in milliseconds (no Docker, no socket.io server).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeProvisioner, type FakeTerminal } from "~/core/provisioner/fake";
import { MAX_INPUT_BYTES } from "~/protocol/terminalProtocol";
import { eventually } from "../../test/support/eventually";
import { clientLimits } from "./clientGuard";
import { ClientInbox } from "./clientInbox";
import { FakeSocket } from "./fakeSocket";
import { SharedTerminal, terminalLimits, type Joiner } from "./sharedTerminal";

const until = <T>(what: string, probe: () => T | undefined | false) =>
  eventually(what, probe, { timeoutMs: 3_000, intervalMs: 2 });
const PROMPT = "/ # ";

const open: SharedTerminal[] = [];
const defaultFlow = terminalLimits.flow;
afterEach(() => {
  for (const terminal of open.splice(0)) terminal.close("test over");
  terminalLimits.flow = defaultFlow;
});

async function setup(now?: () => number) {
  const fake = createFakeProvisioner();
  const sessionId = randomUUID();
  await fake.provision({
    sessionId,
    networks: [],
    containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
    labDns: false,
  });
  const shell: FakeTerminal = await fake.openTerminal(sessionId, "busybox1", { cols: 80, rows: 24 });
  const closed: string[] = [];
  const terminal = new SharedTerminal(shell, () => closed.push("closed"), now);
  open.push(terminal);
  const join = async (joiner: Partial<Joiner> = {}) => {
    const socket = new FakeSocket();
    await terminal.join(
      socket,
      { userId: "u1", clientId: "tab1", handle: "ada", role: "driver", ...joiner },
      new ClientInbox(socket),
    );
    return socket;
  };
  return { fake, sessionId, shell, terminal, join, closed };
}

const lastSeq = (socket: FakeSocket) => socket.all("output").at(-1)?.seq ?? socket.all("snapshot").at(-1)?.seq ?? 0;

describe("SharedTerminal: joining", () => {
  it("gives a new client the screen in a snapshot, with its role and presence id, and tells everyone who is there", async () => {
    const { join } = await setup();
    const ada = await join();
    const [snapshot] = ada.all("snapshot");
    expect(snapshot).toMatchObject({ seq: PROMPT.length, cols: 80, rows: 24, inputSeq: 0, role: "driver" });
    expect(snapshot?.data).toContain(PROMPT);
    const bob = await join({ userId: "u2", clientId: "tab9", handle: "bob", role: "viewer" });
    const presence = ada.all("presence").at(-1);
    expect(presence?.clients.map((c) => [c.handle, c.role])).toEqual([
      ["ada", "driver"],
      ["bob", "viewer"],
    ]);
    expect(presence?.clients.map((c) => c.id)).toEqual([snapshot?.you, bob.all("snapshot")[0]?.you]);
    expect(JSON.stringify(presence)).not.toMatch(/u1|u2|tab1|tab9/); // handles and opaque ids only
  });

  it("resumes a reconnecting client from its offset with exactly what it missed, and its last input", async () => {
    const { shell, join } = await setup();
    const first = await join();
    first.send("input", { seq: 1, data: "ls" });
    await until("the echo", () => first.output() === "ls");
    first.disconnect();
    shell.print("missed");
    const again = await join({ resumeFrom: PROMPT.length });
    expect(again.all("snapshot")).toEqual([]);
    expect(again.output()).toBe("lsmissed");
    expect(again.all("output").at(-1)?.seq).toBe(PROMPT.length + "lsmissed".length);
    expect(again.all("inputAck")).toEqual([{ seq: 1 }]);
  });

  it("tells every client when the shell ends (a new one may be opened), and disconnects them", async () => {
    const { fake, sessionId, join, closed } = await setup();
    const ada = await join();
    fake.stopContainer(sessionId, "busybox1");
    await until("the exit", () => ada.all("exit").length === 1);
    expect(ada.all("exit")).toEqual([{ reason: "shell exited", reopen: true }]);
    expect(ada.disconnected).toBe(true);
    expect(closed).toEqual(["closed"]);
  });
});

describe("SharedTerminal: input policy", () => {
  it("writes a driver's keystrokes to the shell and acknowledges them; the shell's echo comes back as output", async () => {
    const { shell, join } = await setup();
    const ada = await join();
    ada.send("input", { seq: 1, data: "echo hi\r" });
    expect(shell.input).toBe("echo hi\r");
    expect(ada.all("inputAck")).toEqual([{ seq: 1 }]);
    await until("the command's output", () => ada.output().endsWith(`echo hi\r\nhi\r\n${PROMPT}`));
    expect(ada.all("presence").at(-1)?.lastTypist?.handle).toBe("ada");
  });

  it("refuses a viewer's keystrokes as read-only, acknowledged so the client does not resend them", async () => {
    const { shell, join } = await setup();
    const viewer = await join({ role: "viewer" });
    viewer.send("input", { seq: 1, data: "rm -rf /\r" });
    expect(shell.input).toBe("");
    expect(viewer.all("error")).toEqual([{ code: "read-only", message: "you are watching this terminal: typing is off" }]);
    expect(viewer.all("inputAck")).toEqual([{ seq: 1 }]);
  });

  it("pauses drivers while an instructor has taken over, until the instructor releases", async () => {
    const { shell, join } = await setup();
    const driver = await join();
    const instructor = await join({ userId: "prof", clientId: "t", handle: "prof", role: "instructor" });
    instructor.send("takeover");
    expect(driver.all("presence").at(-1)?.lockedBy).toBe("prof");
    driver.send("input", { seq: 1, data: "a" });
    instructor.send("input", { seq: 1, data: "b" });
    expect(shell.input).toBe("b");
    expect(driver.all("error")).toEqual([
      { code: "read-only", message: "an instructor has taken over this terminal: typing is paused" },
    ]);
    expect(driver.all("inputAck")).toEqual([{ seq: 1 }]); // consumed: not resent after the release

    driver.send("takeover"); // only an instructor may
    expect(driver.all("error").at(-1)?.message).toBe("only an instructor can take over a terminal");
    instructor.send("release");
    driver.send("input", { seq: 2, data: "c" });
    expect(shell.input).toBe("bc");
    expect(driver.all("presence").at(-1)?.lockedBy).toBeNull();
  });

  it("releases a takeover when its holder's last connection that may take over closes, and tells everyone", async () => {
    const { shell, join } = await setup();
    const driver = await join();
    const typing = await join({ userId: "prof", clientId: "t1", handle: "prof", role: "instructor" });
    const secondTab = await join({ userId: "prof", clientId: "t2", handle: "prof", role: "instructor" });
    const watching = await join({ userId: "prof", clientId: "t3", handle: "prof", role: "viewer" });
    typing.send("takeover");
    expect(driver.all("presence").at(-1)?.lockedBy).toBe("prof");
    typing.disconnect(); // another tab of theirs that may type still holds it
    expect(driver.all("presence").at(-1)?.lockedBy).toBe("prof");
    secondTab.disconnect(); // only a read-only tab of theirs is left: the lock goes
    const presence = driver.all("presence").at(-1);
    expect(presence?.lockedBy).toBeNull();
    expect(presence?.clients.map((c) => c.handle)).toEqual(["ada", "prof"]);
    driver.send("input", { seq: 1, data: "x" });
    expect(shell.input).toBe("x");
    expect(driver.all("error")).toEqual([]);
    watching.disconnect();
  });

  it("rate limits a driver's typed bytes, naming the limit", async () => {
    const { shell, join } = await setup(() => 0); // the clock stands still: nothing refills
    const ada = await join();
    const burst = (2 * clientLimits.inputBytesPerSecond) / MAX_INPUT_BYTES; // messages of the largest size the burst allows
    for (let seq = 1; seq <= burst + 1; seq++) ada.send("input", { seq, data: "y".repeat(MAX_INPUT_BYTES) });
    expect(shell.input.length).toBe(burst * MAX_INPUT_BYTES);
    expect(ada.all("error")).toEqual([{ code: "rate-limited", message: "too much input too fast; slow down (limit: 64 KiB/s)" }]);
    expect(ada.all("inputAck")).toHaveLength(burst + 1);
  });

  it("drops a driver's terminal's own answers to queries (the server's screen answers the shell)", async () => {
    const { shell, join } = await setup();
    const ada = await join();
    ada.send("input", { seq: 1, data: "\x1b[12;5R" });
    expect(shell.input).toBe("");
    expect(ada.all("inputAck")).toEqual([{ seq: 1 }]);
    expect(ada.all("error")).toEqual([]);
  });

  it("answers malformed payloads and unknown events with what is accepted", async () => {
    const { join } = await setup();
    const ada = await join();
    ada.send("input", { seq: 0, data: "x" });
    ada.send("resize", { cols: 1, rows: 24 });
    ada.send("ack", { seq: -1 });
    ada.send("format-disk", {});
    expect(ada.all("error").map((e) => e.message)).toEqual([
      `input needs { seq: a positive integer, data: 1 to ${MAX_INPUT_BYTES} characters }`,
      "resize needs integer cols (2-500) and rows (2-200)",
      "ack needs { seq: a non-negative integer }",
      'unknown event "format-disk"; events: input, resize, ack, takeover, release',
    ]);
    expect(ada.all("error").map((e) => e.code)).toEqual(["bad-request", "bad-request", "bad-request", "bad-request"]);
  });
});

describe("SharedTerminal: sequencing", () => {
  it("applies each input number once and in order: a duplicate is acknowledged, a gap refused", async () => {
    const { shell, join } = await setup();
    const ada = await join();
    ada.send("input", { seq: 1, data: "a" });
    ada.send("input", { seq: 1, data: "a" });
    ada.send("input", { seq: 3, data: "c" });
    ada.send("input", { seq: 2, data: "b" });
    expect(shell.input).toBe("ab");
    expect(ada.all("inputAck")).toEqual([{ seq: 1 }, { seq: 1 }, { seq: 2 }]);
    expect(ada.all("error")).toEqual([{ code: "bad-request", message: "input 3 arrived before input 2" }]);
  });

  it("numbers per user and tab: a reconnect continues, another tab or another user starts afresh", async () => {
    const { shell, join } = await setup();
    const tab1 = await join();
    tab1.send("input", { seq: 1, data: "a" });
    tab1.send("input", { seq: 2, data: "b" });
    tab1.disconnect();
    const again = await join();
    expect(again.all("snapshot")[0]?.inputSeq).toBe(2);
    again.send("input", { seq: 2, data: "b" }); // resent after the reconnect: applied once
    const tab2 = await join({ clientId: "tab2" });
    tab2.send("input", { seq: 1, data: "c" });
    const mallory = await join({ userId: "u666" }); // the same tab id, another user: not u1's numbers
    expect(mallory.all("snapshot")[0]?.inputSeq).toBe(0);
    mallory.send("input", { seq: 1, data: "d" });
    expect(shell.input).toBe("abcd");
  });
});

describe("SharedTerminal: flow control", () => {
  it("pauses the shell while a driver is more than the high watermark behind, and resumes below the low one after acks", async () => {
    terminalLimits.flow = { high: 4096, low: 1024, viewerLimit: 1 << 20 };
    const { shell, join } = await setup();
    const ada = await join();
    const printed = "x".repeat(20_000);
    for (let i = 0; i < printed.length; i += 1000) shell.print(printed.slice(i, i + 1000));
    await until("the shell to pause", () => shell.stream.isPaused());
    const unacked = lastSeq(ada) - PROMPT.length;
    expect(unacked).toBeGreaterThan(4096);
    expect(unacked).toBeLessThan(printed.length); // held back in the shell's stream
    let pauses = 0;
    while (ada.output().length < printed.length) {
      if (shell.stream.isPaused()) pauses++;
      ada.send("ack", { seq: lastSeq(ada) });
      const before = lastSeq(ada);
      await until("more output after the ack", () => lastSeq(ada) > before || ada.output().length === printed.length);
    }
    expect(pauses).toBeGreaterThan(0);
    expect(ada.output()).toBe(printed); // everything, once, in order
    ada.send("ack", { seq: lastSeq(ada) });
    await until("the shell to flow again", () => !shell.stream.isPaused());
  });

  it("never pauses for a viewer: a lagging one gets no output until it has caught up, then a fresh snapshot", async () => {
    terminalLimits.flow = { high: 4096, low: 1024, viewerLimit: 8192 };
    const { shell, join, terminal } = await setup();
    const viewer = await join({ role: "viewer" });
    const printed = "v".repeat(20_000);
    for (let i = 0; i < printed.length; i += 1000) shell.print(printed.slice(i, i + 1000));
    await until(
      "all output read from the shell",
      () => shell.stream.readableLength === 0 && !shell.stream.isPaused() && terminal.bufferedBytes === 0,
    );
    const received = viewer.output().length;
    expect(received).toBeGreaterThan(8192);
    expect(received).toBeLessThan(printed.length); // cut off: it fell too far behind
    const resync = viewer.next("snapshot");
    viewer.send("ack", { seq: lastSeq(viewer) });
    const snapshot = await resync;
    expect(snapshot.seq).toBe(PROMPT.length + printed.length);
    expect(snapshot.data).toContain("vvvv");
    shell.print("after");
    await until("output after the snapshot", () => viewer.all("output").at(-1)?.data === "after");
  });
});

describe("SharedTerminal: batching", () => {
  it("sends a burst of output as one message after a few ms, and caps a batch's size", async () => {
    const { shell, join } = await setup();
    const ada = await join();
    for (let i = 0; i < 5; i++) shell.print("b".repeat(2000));
    await until("the batch", () => ada.all("output").length > 0);
    expect(ada.all("output")).toEqual([{ seq: PROMPT.length + 10_000, data: "b".repeat(10_000) }]);

    const chunk = "c".repeat(1500);
    for (let i = 0; i < 100; i++) shell.print(chunk);
    await until("all of the large burst", () => ada.output().length === 10_000 + 150_000);
    const sizes = ada
      .all("output")
      .slice(1)
      .map((o) => o.data.length);
    expect(Math.max(...sizes)).toBeLessThan(terminalLimits.batchBytes + chunk.length);
    expect(sizes.length).toBeLessThan(10); // batched, not one message per chunk
  });

  it("sends small output outside a burst (an echo) at once, in its own message", async () => {
    const { join } = await setup();
    const ada = await join();
    ada.send("input", { seq: 1, data: "k" });
    expect(ada.all("output")).toEqual([{ seq: PROMPT.length + 1, data: "k" }]); // no timer: synchronously
  });
});
