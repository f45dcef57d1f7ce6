// Issue 8, problem 1: identity cannot be taken over. Requests go through the real HTTP route
// handler with the cookie a browser (or an attacker) would send; a viewer who joins by invite
// records every payload it receives and finds no trace of the owner's id or credential.
import { randomBytes, randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TerminalConnection } from "~/protocol/terminalConnection";
import {
  TERMINAL_NAMESPACE,
  type ClientToServerEvents,
  type Presence,
  type ServerToClientEvents,
} from "~/protocol/terminalProtocol";
import type { RunningWorker } from "../../worker/app";
import {
  callTrpc,
  connectTerminal,
  engine,
  learner,
  testWorker,
  waitForStatus,
  within,
  type TerminalClient,
} from "../support/harness";

let worker: RunningWorker;
let owner: Awaited<ReturnType<typeof learner>>;
let sessionId: string;
const open: { close(): void }[] = [];

beforeAll(async () => {
  worker = await testWorker();
  owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "bridge-basics" })).id;
  await waitForStatus(sessionId, ["READY"]);
});

afterAll(async () => {
  for (const socket of open) socket.close();
  await worker?.stop();
  await engine.teardown(sessionId);
});

/** The owner's cookie: its name, its value as sent, and the value decoded. */
function ownerCookie() {
  const [name, ...rest] = owner.cookie.split(";")[0]!.split("=");
  const sent = rest.join("=");
  return { name: name!, sent, decoded: decodeURIComponent(sent) };
}

describe("who is asking", () => {
  it("the owner's own cookie is the owner (control)", async () => {
    const answer = await callTrpc("session.get", { sessionId }, { cookie: owner.cookie, method: "GET" });
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ id: sessionId, access: "owner" });
  });

  it("refuses no cookie, a made-up one, a forged one and the owner's id or handle replayed as a cookie", async () => {
    const { name, decoded } = ownerCookie();
    const ownerToken = decoded.split(".")[0]!;
    const fakeSignature = randomBytes(32).toString("base64");
    const attempts: [string, string | undefined][] = [
      ["no cookie", undefined],
      ["a made-up value", `${name}=${randomUUID()}`],
      [
        "a made-up session token, forged signature",
        `${name}=${encodeURIComponent(`${randomBytes(24).toString("base64url")}.${fakeSignature}`)}`,
      ],
      ["the owner's session token, forged signature", `${name}=${encodeURIComponent(`${ownerToken}.${fakeSignature}`)}`],
      ["the owner's session token, unsigned", `${name}=${ownerToken}`],
      ["the owner's user id", `${name}=${owner.id}`],
      ["the owner's user id in the old learner cookie", `netlab_learner=${owner.id}`],
      ["the owner's user id in better-auth's default cookie", `better-auth.session_token=${owner.id}`],
      ["the owner's handle", `${name}=${encodeURIComponent(String(owner.handle))}`],
      ["the owner's handle in the old learner cookie", `netlab_learner=${encodeURIComponent(String(owner.handle))}`],
    ];
    const answers = [];
    for (const [what, cookie] of attempts) {
      const get = await callTrpc("session.get", { sessionId }, { cookie, method: "GET" });
      const share = await callTrpc("session.share", { sessionId, role: "driver" }, { cookie });
      answers.push({
        what,
        get: `${get.status} ${get.error?.code ?? (get.data as { access?: string }).access}`,
        share: `${share.status} ${share.error?.code ?? "an invite link"}`,
        // Says what to do, and no identity is minted on the side: only the auth endpoint issues one.
        says: /sign/i.test(get.error?.message ?? ""),
        setsCookie: get.headers.has("set-cookie") || share.headers.has("set-cookie"),
      });
    }
    expect(answers).toEqual(
      attempts.map(([what]) => ({ what, get: "401 UNAUTHORIZED", share: "401 UNAUTHORIZED", says: true, setsCookie: false })),
    );
    // The owner is still the owner.
    expect((await owner.api.session.get({ sessionId })).access).toBe("owner");
  });
});

describe("a viewer who joins by invite", () => {
  it("receives no trace of the owner's user id, session token or cookie, and sees handles in presence", async () => {
    const viewer = await learner();
    const received: string[] = [];
    const http = async (procedure: string, input: unknown, method: "GET" | "POST" = "POST") => {
      const answer = await callTrpc(procedure, input, { cookie: viewer.cookie, method });
      received.push(answer.text, JSON.stringify([...answer.headers]));
      expect(answer.status, `${procedure}: ${answer.text}`).toBe(200);
      return answer.data as Record<string, unknown>;
    };

    // The owner is typing in the terminal before the viewer arrives.
    const ownerToken = await owner.api.session.terminalToken({ sessionId, terminal: "busybox1" });
    const ownerTerminal: TerminalClient = await connectTerminal(worker.port, {
      token: ownerToken.token,
      sessionId,
      terminal: "busybox1",
    });
    open.push(ownerTerminal);
    ownerTerminal.type("echo before-$((20+1))\n");
    await ownerTerminal.waitForOutput(/before-21\r\n/);

    const { path } = await owner.api.session.share({ sessionId, role: "viewer" });
    received.push(path); // the link itself reaches the viewer
    const invite = new URL(path, "http://x").searchParams.get("invite")!;
    await http("session.join", { invite });
    expect(await http("session.get", { sessionId }, "GET")).toMatchObject({ access: "viewer" });
    await http("grading.progress", { sessionId }, "GET");
    const { token } = (await http("session.terminalToken", { sessionId, terminal: "busybox1" })) as { token: string };

    // Every packet the viewer's socket receives, recorded before it connects.
    let screen = "";
    const connection = new TerminalConnection({ reset: () => (screen = ""), write: (data, done) => ((screen += data), done()) });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
      `http://127.0.0.1:${worker.port}${TERMINAL_NAMESPACE}`,
      {
        auth: (cb) => cb({ token, sessionId, terminal: "busybox1", ...connection.handshake() }),
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      },
    );
    open.push(socket);
    socket.io.on("packet", (packet) => received.push(JSON.stringify(packet)));
    connection.attach(socket);
    let you: string | undefined;
    const presences: Presence[] = [];
    const waiters = new Set<() => void>();
    const wake = () => waiters.forEach((w) => w());
    socket.on("snapshot", (m) => (you = m.you));
    socket.on("presence", (p) => (presences.push(p), wake()));
    socket.on("output", wake); // after the connection's own listener: the screen is written
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => done() && (waiters.delete(check), resolve());
        waiters.add(check);
        check();
      });
    const connected = new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    socket.connect();
    await connected;

    // The owner types again while the viewer watches; the viewer sees it and who typed.
    const typedBy = (p: Presence) => p.clients.length === 2 && p.lastTypist !== null;
    ownerTerminal.type("echo while-watched-$((40+2))\n");
    await within(
      until(() => /while-watched-42\r\n/.test(screen) && presences.some(typedBy)),
      15_000,
      "the viewer to see the owner's echo, and who typed it",
    );

    // Nothing that reached the viewer names the owner or carries the owner's credential.
    const everything = received.join("\n");
    const { sent, decoded } = ownerCookie();
    const ownerSecrets = [owner.id, sent, decoded, decoded.split(".")[0]!, ownerToken.clientId].filter(
      (s): s is string => typeof s === "string" && s.length >= 8,
    );
    expect(ownerSecrets.length).toBeGreaterThanOrEqual(3);
    for (const secret of ownerSecrets) expect(everything).not.toContain(secret);

    // Handles are what people see of each other.
    const presence = presences.findLast(typedBy)!;
    expect(owner.handle).toMatch(/^guest-/);
    expect(presence.clients.map((c) => c.handle).sort()).toEqual([owner.handle, viewer.handle].sort());
    expect(presence.lastTypist?.handle).toBe(owner.handle);
    expect(presence.clients.find((c) => c.id === you)).toMatchObject({ handle: viewer.handle, role: "viewer" });
    expect(everything).toContain(owner.handle);
  });
});
