// Shared terminals with real socket.io clients and real containers: multiplayer, roles, screen
// restore, reconnects, flow control under a flood.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TerminalConnection } from "~/protocol/terminalConnection";
import type { RunningWorker } from "../../worker/app";
import {
  connectTerminal,
  db,
  engine,
  eventually,
  learner,
  testWorker,
  waitForStatus,
  within,
  type TerminalClient,
} from "../support/harness";

// One session for the file (provisioning it is the slow part); each test opens its own terminal of
// it, so no test sees another's shell, screen, lock or members' effects.
let worker: RunningWorker;
let sessionId: string;
let owner: Awaited<ReturnType<typeof learner>>;
const open: TerminalClient[] = [];

async function memberOf(role: "driver" | "viewer") {
  const who = await learner();
  const { path } = await owner.api.session.share({ sessionId, role });
  await who.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
  return who;
}

/** Connects as a new browser tab, or as the tab that holds `clientId` (a reconnect). */
async function connect(
  who: typeof owner,
  terminal = "busybox1",
  { clientId, mode, ...options }: Parameters<typeof connectTerminal>[2] & { clientId?: string; mode?: "watch" | "type" } = {},
) {
  const issued = await who.api.session.terminalToken({
    sessionId,
    terminal,
    ...(clientId ? { clientId } : {}),
    ...(mode ? { mode } : {}),
  });
  const client = Object.assign(await connectTerminal(worker.port, { token: issued.token, sessionId, terminal }, options), {
    clientId: issued.clientId,
  });
  open.push(client);
  return client;
}

function errorOf(client: TerminalClient) {
  return within(
    new Promise<{ code: string; message: string }>((resolve) => client.once("error", resolve)),
    10_000,
    "an error event",
  );
}

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "network-modes" })).id;
  await waitForStatus(sessionId, ["READY"]);
});

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await engine.teardown(sessionId);
});

describe("a shared terminal", () => {
  it("shows two drivers and a viewer identical output, and refuses the viewer's keystrokes", async () => {
    const alice = await connect(owner);
    const bob = await connect(await memberOf("driver"));
    const carol = await connect(await memberOf("viewer"));
    alice.type("echo from-alice-$((1+1))\n");
    await Promise.all([alice, bob, carol].map((c) => c.waitForOutput(/from-alice-2\r\n/)));
    bob.type("echo from-bob-$((2+2))\n");
    await Promise.all([alice, bob, carol].map((c) => c.waitForOutput(/from-bob-4\r\n/)));

    const refused = errorOf(carol);
    carol.type("echo from-carol\n");
    expect(await refused).toMatchObject({ code: "read-only" });
    alice.type("echo done-$((3+3))\n");
    await Promise.all([alice, bob, carol].map((c) => c.waitForOutput(/done-6\r\n/)));
    expect(alice.screen()).not.toContain("from-carol");

    const [a, b, c] = await Promise.all([alice.lines(), bob.lines(), carol.lines()]);
    expect(b.slice(-6)).toEqual(a.slice(-6));
    expect(c.slice(-6)).toEqual(a.slice(-6));
    for (const client of [alice, bob, carol]) client.close();
  });

  it("gives a late joiner the current screen and scrollback in its first message", async () => {
    const early = await connect(owner, "busybox2");
    early.type("seq 1 300; echo end-of-$((100*3))\n");
    await early.waitForOutput(/end-of-300\r\n[^]*# /);
    const late = await connect(owner, "busybox2");
    // The snapshot can arrive with the connection's acknowledgement, before a listener added now.
    await within(
      new Promise<void>((resolve) => (late.snapshots ? resolve() : late.once("snapshot", () => resolve()))),
      10_000,
      "the late joiner's snapshot",
    );
    expect(late.firstEvent).toBe("snapshot");
    const [e, l] = await Promise.all([early.lines(), late.lines()]);
    expect(l.slice(-60)).toEqual(e.slice(-60)); // the screen and well into the scrollback
    expect(l).toContain("150");
    early.close();
    late.close();
  });

  it("resumes a reconnecting client with no duplicated and no missing output", async () => {
    const connection = new TerminalConnection({ reset: () => (text = ""), write: (d, done) => ((text += d), done()) });
    let text = "";
    const first = await connect(owner, "client", { connection });
    first.type("for i in $(seq 1 3000); do echo line-$i; usleep 300; done; echo fin-$((5+5))\n");
    await eventually("line-200", () => /line-200\r\n/.test(text), { intervalMs: 5 });
    first.close(); // the network drops mid-stream
    const offsetAtDrop = connection.offset;
    expect(text).not.toMatch(/fin-10/);
    const second = await connect(owner, "client", { connection, clientId: first.clientId });
    await eventually("fin-10", () => /fin-10\r\n/.test(text));
    const numbers = [...text.matchAll(/^line-(\d+)\r$/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // Resumed where the drop left it: the server's first output starts at that offset, and it
    // never sent a snapshot (a client restored from one would also see every line, deduplicated).
    expect(second.firstOutputFrom).toBe(offsetAtDrop);
    expect(second.snapshots).toBe(0);
    second.close();
  });

  it("refuses a token for another terminal of the same session", async () => {
    const { token } = await owner.api.session.terminalToken({ sessionId, terminal: "busybox1" });
    await expect(connectTerminal(worker.port, { token, sessionId, terminal: "host" })).rejects.toThrow(
      /another session or terminal/,
    );
  });
});

describe("a 50 MB flood", () => {
  it("keeps another terminal answering, stops on Ctrl-C, bounds the worker's memory, and is not slowed by a stalled viewer", async () => {
    let received = 0;
    let tail = "";
    const counting = new TerminalConnection({
      reset: () => {},
      write: (data, done) => {
        received += data.length;
        tail = (tail + data).slice(-200);
        done();
      },
    });
    const flood = await connect(owner, "hosted", { connection: counting });
    // A viewer that never finishes rendering (never acknowledges): it must not hold anyone back.
    await connect(await memberOf("viewer"), "hosted", {
      connection: new TerminalConnection({ reset: () => {}, write: () => {} }),
    });
    const other = await connect(owner, "closed");

    await eventually("the flooding terminal's snapshot", () => counting.offset >= 0); // joined: the terminal exists
    const shared = worker.hub.get(sessionId, "hosted")!;
    let maxBuffered = 0;
    const rssBefore = process.memoryUsage().rss;
    let maxRss = rssBefore;
    const sampler = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, shared.bufferedBytes);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }, 5);

    // `cat` of 50 MB (one long line: the TTY's newline processing makes `yes` lines ~20× slower)
    flood.type("cat /dev/zero | head -c 50000000 | tr '\\0' y; echo; echo flood-$((40+2))-done\n");
    await eventually("5 MB of the flood", () => received >= 5_000_000, { timeoutMs: 60_000, intervalMs: 20 });
    other.type("echo still-answering-$((2*21))\n");
    await other.waitForOutput(/still-answering-42\r\n/, 15_000);
    await eventually("the flood's end", () => /flood-42-done/.test(tail), { timeoutMs: 120_000, intervalMs: 20 });
    expect(received).toBeGreaterThan(50_000_000);

    flood.type("yes\n");
    const before = received;
    await eventually("500 kB of yes", () => received >= before + 500_000, { intervalMs: 20 });
    flood.type("\x03echo interrupted-$((7*6))\n");
    await eventually("the shell after Ctrl-C", () => /interrupted-42\r\n/.test(tail), { intervalMs: 20 });
    clearInterval(sampler);

    expect(maxBuffered).toBeLessThan(1024 * 1024); // watermarks: 256 KiB high, 64 KiB batches
    expect(maxRss - rssBefore).toBeLessThan(300 * 1024 * 1024);
  }, 180_000);
});

describe("protocol edges", () => {
  it("answers unknown events and malformed payloads with an error, and survives binary output", async () => {
    const client = await connect(owner, "joined");
    let error = errorOf(client);
    (client as unknown as { emit: (event: string, payload: unknown) => void }).emit("format-disk", {});
    expect(await error).toMatchObject({ code: "bad-request", message: expect.stringContaining('unknown event "format-disk"') });
    error = errorOf(client);
    (client as unknown as { emit: (event: string, payload: unknown) => void }).emit("resize", { cols: "wide" });
    expect(await error).toMatchObject({ code: "bad-request", message: expect.stringContaining("resize needs") });

    client.type("head -c 200000 /dev/urandom; echo; echo binary-$((20+22))-over\n");
    await client.waitForOutput(/binary-42-over\r\n/);
    client.type("echo still-$((2+2))\n");
    await client.waitForOutput(/still-4\r\n/);
    client.close();
  });

  it("drops the replies a client's terminal sends by itself (the server's screen answers queries)", async () => {
    const client = await connect(owner, "host");
    client.type("cat\n");
    client.type("\x1b[12;3R"); // what every connected xterm sends when the shell asks for the cursor
    client.type("after-reply\n");
    await client.waitForOutput(/after-reply\r\n/);
    client.type("\x03");
    expect(client.screen()).not.toMatch(/12;3R/);
    client.close();
  });

  it("lets an instructor take over: drivers are read-only until the instructor releases", async () => {
    const teacher = await learner();
    await db().sessionMember.create({ data: { sessionId, userId: teacher.id, role: "INSTRUCTOR" } });
    const instructor = await connect(teacher, "web", { mode: "type" }); // an instructor watches unless they ask to type
    const driver = await connect(owner, "web");
    instructor.emit("takeover");
    await within(
      new Promise<void>((resolve) => driver.on("presence", (p) => p.lockedBy === teacher.handle && resolve())),
      10_000,
      "the lock to show in presence",
    );
    const refused = errorOf(driver);
    driver.type("echo driver-typed\n");
    expect(await refused).toMatchObject({ code: "read-only", message: expect.stringContaining("instructor has taken over") });
    instructor.type("echo teacher-$((3*3))\n");
    await driver.waitForOutput(/teacher-9\r\n/);
    instructor.emit("release");
    await within(
      new Promise<void>((resolve) => driver.on("presence", (p) => p.lockedBy === null && resolve())),
      10_000,
      "the release to show in presence",
    );
    driver.type("echo driver-again-$((1+1))\n");
    await instructor.waitForOutput(/driver-again-2\r\n/);
    instructor.close();
    driver.close();
  });
});
