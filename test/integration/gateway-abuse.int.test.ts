// Abuse of the terminal gateway by a connected learner: someone else's client id, many client
// ids, a flood of resizes or of any event, a reconnect loop, connections that never authenticate. Each asserts the mechanism that contains it, and that another
// learner's terminal keeps answering (a coarse guard: far above noise, far below what was seen).
import { randomBytes } from "node:crypto";
import { io, Manager } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import type { TerminalRole } from "~/protocol/terminalProtocol";
import type { RunningWorker } from "../../worker/app";
import { connectLimits } from "../../worker/gateway/connectLimiter";
import { gatewayLimits } from "../../worker/gateway/server";
import { terminalLimits } from "../../worker/gateway/sharedTerminal";
import {
  attackerAndNeighbour,
  connectTerminal,
  db,
  echoTime,
  engine,
  learner,
  testWorker,
  within,
  type TerminalClient,
} from "../support/harness";

let worker: RunningWorker;
let sessionId: string;
let neighbourSession: string;
let owner: Awaited<ReturnType<typeof learner>>;
let neighbour: Awaited<ReturnType<typeof learner>>;
const open: TerminalClient[] = [];
const secret = () => process.env.TERMINAL_TOKEN_SECRET!;
const newClientId = () => randomBytes(16).toString("base64url");

/** A token as the web would sign it for this user, role and tab. */
async function connectAs(
  who: { id: string },
  options: { session?: string; terminal?: string; role?: TerminalRole; cid?: string } = {},
): Promise<TerminalClient> {
  const sid = options.session ?? sessionId;
  const terminal = options.terminal ?? "busybox1";
  const cid = options.cid ?? newClientId();
  const token = await signTerminalToken(secret(), {
    sub: who.id,
    sid,
    terminal,
    role: options.role ?? "driver",
    cid,
    handle: "someone",
  });
  // `clientId` in the handshake is what older gateways keyed input on; the token's `cid` replaces it.
  const client = await connectTerminal(worker.port, { token, sessionId: sid, terminal, clientId: cid });
  open.push(client);
  return client;
}

/** Resolves once the client has its first screen (the terminal exists on the worker). */
function joined(client: TerminalClient): Promise<void> {
  return new Promise((resolve) => (client.snapshots ? resolve() : client.once("snapshot", () => resolve())));
}

/** How long the neighbour's shell takes to echo a command (ms). */
const neighbourEcho = (client: TerminalClient, tag: string) => echoTime(client, tag);

beforeAll(async () => {
  worker = await testWorker();
  ({
    attacker: owner,
    neighbour,
    attackSession: sessionId,
    neighbourSession,
  } = await attackerAndNeighbour("two-bridges", "none"));
});

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await Promise.all([sessionId, neighbourSession].map((id) => engine.teardown(id)));
});

describe("input sequencing", () => {
  it("a viewer reusing the driver's client id cannot consume, replay or mute the driver's input", async () => {
    const viewer = await learner();
    await db().sessionMember.create({ data: { sessionId, userId: viewer.id, role: "VIEWER" } });
    const cid = newClientId();
    const driver = await connectAs(owner, { cid });
    driver.type("echo first-$((1+1))\n");
    await driver.waitForOutput(/first-2\r\n/);

    // The viewer connects with the same client id and sends the driver's next sequence numbers.
    const intruder = await connectAs(viewer, { cid, role: "viewer" });
    const refused = new Promise((resolve) => intruder.once("error", resolve));
    for (let seq = 1; seq <= 20; seq++) intruder.emit("input", { seq, data: `echo intruder-${seq}\n` });
    await refused;

    driver.type("echo second-$((2+2))\n");
    await driver.waitForOutput(/second-4\r\n/);
    expect(driver.screen()).not.toContain("intruder-");
    expect(driver.connection.pendingInputs).toBe(0);
  });
});

describe("many client ids", () => {
  it("viewers opening many tabs cannot evict the driver's input sequence", async () => {
    const saved = terminalLimits.inputClients;
    terminalLimits.inputClients = 8; // the same mechanism as 1,000, reached with fewer connections
    try {
      const driver = await connectAs(owner, { terminal: "host" });
      await joined(driver);
      driver.type("echo before-$((1+2))\n");
      await driver.waitForOutput(/before-3\r\n/);
      for (let v = 0; v < 3; v++) {
        const viewer = await learner();
        await db().sessionMember.create({ data: { sessionId, userId: viewer.id, role: "VIEWER" } });
        for (let tab = 0; tab < 5; tab++) {
          const c = await connectAs(viewer, { terminal: "host", role: "viewer" });
          await within(joined(c), 5000, `viewer ${v} tab ${tab} joining`);
          const refused = new Promise((resolve) => c.once("error", resolve));
          c.emit("input", { seq: 1, data: "x" });
          await within(refused, 5000, "the viewer's refusal");
          c.close();
        }
      }
      driver.type("echo after-$((2+2))\n");
      await driver.waitForOutput(/after-4\r\n/);
    } finally {
      terminalLimits.inputClients = saved;
    }
  });
});

describe("event flood", () => {
  it("disconnects a connection that floods any event, and a neighbour's echo stays fast", async () => {
    const viewer = await learner();
    await db().sessionMember.create({ data: { sessionId, userId: viewer.id, role: "VIEWER" } });
    const other = await connectAs(neighbour, { session: neighbourSession, terminal: "closed" });
    await neighbourEcho(other, "warm2");
    const flooders = await Promise.all(
      ["input", "unknown", "binary"].map(async (kind) => {
        const c = await connectAs(viewer, { terminal: "busybox1", role: "viewer" });
        await joined(c);
        const cut = new Promise<string>((resolve) => c.once("disconnect", (reason) => resolve(reason)));
        return { c, kind, cut };
      }),
    );
    const blob = Buffer.alloc(60_000, 7);
    const timer = setInterval(() => {
      for (const { c, kind } of flooders) {
        if (!c.connected) continue;
        for (let i = 0; i < 200; i++) {
          if (kind === "input") c.emit("input", { seq: 1, data: "duplicate" });
          else if (kind === "unknown") (c as unknown as { emit: (e: string, p: unknown) => void }).emit("noise", { i });
          else (c as unknown as { emit: (e: string, p: unknown) => void }).emit("input", blob);
        }
      }
    }, 5);
    onTestFinished(() => {
      clearInterval(timer);
      for (const { c } of flooders) c.close();
    });
    const echo = neighbourEcho(other, "flooded");
    const reasons = await within(Promise.all(flooders.map((f) => f.cut)), 15_000, "disconnecting every flooder");
    expect(reasons).toEqual(["io server disconnect", "io server disconnect", "io server disconnect"]);
    expect(await echo).toBeLessThan(500); // 200-670 ms was seen before the fix with 10 connections
  });
});

describe("connections that never authenticate", () => {
  it("refuses the default namespace, and caps connections per address", async () => {
    const root = io(`http://127.0.0.1:${worker.port}/`, { transports: ["websocket"], forceNew: true, reconnection: false });
    const refused = await new Promise<Error>((resolve) => {
      root.once("connect_error", resolve);
      root.once("connect", () => resolve(new Error("connected")));
    });
    root.close();
    expect(refused.message).toMatch(/\/terminal/);

    // Connections that never join a namespace are capped per address (and time out). Other tests'
    // clients are open from this address too: at most the cap opens, whatever they are.
    const saved = gatewayLimits.connectionsPerAddress;
    gatewayLimits.connectionsPerAddress = 5;
    const managers = Array.from(
      { length: 12 },
      () =>
        new Manager(`http://127.0.0.1:${worker.port}`, { transports: ["websocket"], reconnection: false, autoConnect: false }),
    );
    try {
      const opened: boolean[] = [];
      for (const m of managers) opened.push(await new Promise<boolean>((resolve) => m.open((error) => resolve(!error))));
      expect(opened.filter(Boolean).length).toBeLessThanOrEqual(5);
      expect(opened.slice(5)).toEqual([false, false, false, false, false, false, false]);
    } finally {
      gatewayLimits.connectionsPerAddress = saved;
      for (const m of managers) m.engine?.close();
    }
  });
});

describe("resize flood", () => {
  it("coalesces 5,000 resizes into a handful for the shell while a neighbour's echo stays fast", async () => {
    const other = await connectAs(neighbour, { session: neighbourSession, terminal: "closed" });
    await neighbourEcho(other, "warm");
    const flooder = await connectAs(owner, { terminal: "busybox2" });
    await joined(flooder);
    const shared = worker.hub.get(sessionId, "busybox2")!;
    const before = shared.stats.shellResizes;

    const echo = neighbourEcho(other, "during");
    for (let i = 0; i < 5000; i++) flooder.emit("resize", { cols: 40 + (i % 200), rows: 10 + (i % 50) });
    expect(await echo).toBeLessThan(500); // 3.2 s was seen for 3,000 resizes

    // The last size wins once the flood is over; the shell saw a handful of resizes.
    flooder.emit("resize", { cols: 101, rows: 31 });
    await new Promise<void>((resolve) => flooder.on("presence", (p) => p.size.cols === 101 && p.size.rows === 31 && resolve()));
    expect(shared.stats.shellResizes - before).toBeLessThanOrEqual(20);
    expect(shared.stats.resizesReceived).toBeGreaterThanOrEqual(1);
  });
});

describe("reconnect loop", () => {
  it("backs off a client that reconnects in a loop instead of serialising a snapshot per try", async () => {
    const first = await connectAs(owner, { terminal: "busybox1" });
    await joined(first);
    first.close();
    const shared = worker.hub.get(sessionId, "busybox1")!;
    const before = shared.stats.snapshots;
    const outcomes: string[] = [];
    const started = performance.now();
    for (let i = 0; i < 60; i++) {
      try {
        const c = await connectAs(owner, { terminal: "busybox1" });
        await joined(c);
        c.close();
        outcomes.push("connected");
      } catch (error) {
        outcomes.push((error as Error & { data?: { reason?: string } }).data?.reason ?? (error as Error).message);
      }
    }
    // A burst, then one connection per 1 / perSecond seconds, however long the loop took.
    const allowed = connectLimits.burst + Math.ceil(((performance.now() - started) / 1000) * connectLimits.perSecond) + 1;
    expect(outcomes.filter((o) => o === "rate-limited").length).toBeGreaterThanOrEqual(60 - allowed);
    expect(shared.stats.snapshots - before).toBeLessThanOrEqual(allowed);
  });
});
