// The walking skeleton end to end, below the browser: tRPC → PostgreSQL (row + job) → worker →
// Docker → socket.io terminal, and every bad input the issue lists.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { queueName } from "~/core/workers/queues";
import { refusal } from "~/protocol/terminalProtocol";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { until } from "../support/live";
import { connectTerminal, db, engine, learner, testWorker, waitForStatus, within } from "../support/harness";

const SECRET = process.env.TERMINAL_TOKEN_SECRET!;
let worker: RunningWorker;
const started: string[] = [];

async function startReadySession() {
  const alice = await learner();
  const session = await alice.api.session.start({ labSlug: "bridge-basics" });
  started.push(session.id);
  await waitForStatus(session.id, ["READY"]);
  return { alice, session };
}

/** The gateway's answer to a browser's WebSocket upgrade from a page of `origin`: status and body. */
function upgradeAnswer(port: number, origin: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: "127.0.0.1",
      port,
      path: `/socket.io/?EIO=4&transport=websocket`,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        Origin: origin,
      },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode!, body: "" });
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

beforeAll(async () => {
  worker = await testWorker();
});

afterAll(async () => {
  await worker?.stop();
  for (const id of started) await engine.teardown(id);
});

describe("a learner's lab session", () => {
  it("starts, opens a live terminal where ifconfig shows eth0 and lo, and stops leaving nothing behind", async () => {
    const alice = await learner();
    const session = await alice.api.session.start({ labSlug: "bridge-basics" });
    started.push(session.id);
    expect(session.status).toBe("QUEUED");
    // The row and its job were written together: the job is in pg-boss's table, on the queue of
    // the worker the session was placed on (this file's one worker).
    const placed = await db().labSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(placed.workerId).toBe(worker.workerId);
    const jobs = await db().$queryRawUnsafe<{ n: bigint }[]>(
      `select count(*) as n from pgboss.job where name = $2 and data->>'sessionId' = $1`,
      session.id,
      queueName("provisionSession", placed.workerId),
    );
    expect(Number(jobs[0]!.n)).toBe(1);

    await waitForStatus(session.id, ["READY"]);
    const objects = await engine.listSessionObjects(session.id);
    expect(objects.containers).toEqual([`wireroom-${session.id}-busybox1`, `wireroom-${session.id}-host`]);
    expect(objects.networks).toEqual([`wireroom-${session.id}-net-bridge`]);

    const { token } = await alice.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" });
    const term = await connectTerminal(worker.port, { token, sessionId: session.id, terminal: "busybox1" });
    term.type("ifconfig\n");
    const screen = await term.waitForOutput(/lo\s+Link encap:Local Loopback/);
    expect(screen).toMatch(/eth0\s+Link encap:Ethernet/);
    expect(screen).toMatch(/inet addr:\d+\.\d+\.\d+\.\d+/);
    term.close();

    const stopping = await alice.api.session.stop({ sessionId: session.id });
    expect(stopping.status).toBe("STOPPING");
    const stopped = await waitForStatus(session.id, ["STOPPED"]);
    expect(stopped.stoppedAt).not.toBeNull();
    expect(await engine.listSessionObjects(session.id)).toEqual({ containers: [], networks: [] });
  });

  it("tells a guest, through their live stream, that the owner ended the session; the owner that they did", async () => {
    const { alice, session } = await startReadySession();
    const guest = await learner();
    const { path } = await alice.api.session.share({ sessionId: session.id, role: "viewer" });
    await guest.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
    const live = (await guest.api.live.session({ sessionId: session.id }))[Symbol.asyncIterator]();
    try {
      await alice.api.session.stop({ sessionId: session.id });
      const ended = await until(live, "the stopped session", (e) =>
        e.type === "session" && e.session.status === Status.stopped ? e.session : undefined,
      );
      expect(ended.statusReason).toBe("The owner ended this session.");
      expect((await alice.api.session.get({ sessionId: session.id })).statusReason).toBe("You ended this session.");
    } finally {
      void live.return?.();
    }
  });

  it("refuses an unknown lab with NOT_FOUND and a message listing the labs, writing nothing", async () => {
    const bob = await learner();
    const error = await bob.api.session.start({ labSlug: "no-such-lab" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
    expect((error as TRPCError).message).toContain('There is no lab called "no-such-lab"');
    expect((error as TRPCError).message).toContain("bridge-basics");
    expect(await db().labSession.count({ where: { ownerId: bob.id } })).toBe(0);
  });

  it("hides a session from every learner but its owner", async () => {
    const { session } = await startReadySession();
    const mallory = await learner();
    for (const call of [
      () => mallory.api.session.get({ sessionId: session.id }),
      () => mallory.api.session.stop({ sessionId: session.id }),
      () => mallory.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" }),
    ]) {
      const error = (await call().catch((e: unknown) => e)) as TRPCError;
      expect(error.code).toBe("NOT_FOUND");
    }
    expect((await db().labSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("READY");
  });
});

describe("the terminal gateway refuses bad connections", () => {
  it("without a token, with an expired, forged or other-session token, or from a foreign origin", async () => {
    const { alice, session } = await startReadySession();
    const other = await startReadySession();
    const claims = {
      sub: alice.id,
      sid: session.id,
      terminal: "busybox1",
      role: "driver" as const,
      cid: "tab-0123456789abcdef",
      handle: "alice",
    };
    const wanted = { sessionId: session.id, terminal: "busybox1" };

    const cases: [string, Record<string, unknown>, RegExp, string?][] = [
      ["no token", { ...wanted }, /no terminal token was sent/],
      ["expired", { ...wanted, token: await signTerminalToken(SECRET, claims, -10) }, /expired/],
      ["forged", { ...wanted, token: await signTerminalToken("x".repeat(40), claims) }, /not valid/],
      ["garbage", { ...wanted, token: "not.a.jwt" }, /not valid/],
      [
        "other session",
        {
          ...wanted,
          token: (await other.alice.api.session.terminalToken({ sessionId: other.session.id, terminal: "busybox1" })).token,
        },
        /another session/,
      ],
      // The client only learns that the upgrade failed; what the gateway answered is checked below.
      ["foreign origin", { ...wanted, token: await signTerminalToken(SECRET, claims) }, /^websocket error$/, "http://evil.test"],
    ];
    for (const [name, auth, reason, origin] of cases) {
      const error = await connectTerminal(worker.port, auth, origin ? { origin } : {}).then(
        (socket) => {
          socket.close();
          return new Error(`${name}: connection was accepted`);
        },
        (e: Error) => e,
      );
      expect(error.message, name).toMatch(reason);
    }
    // The refusal of a foreign page is the origin check's, before any token is read; the web's
    // own origin is let through to the same upgrade.
    expect(await upgradeAnswer(worker.port, "http://evil.test")).toEqual({ status: 400, body: refusal.originNotAllowed });
    expect(await upgradeAnswer(worker.port, "http://allowed.test")).toEqual({ status: 101, body: "" });
    // The genuine token still works, so the refusals above were about the tokens.
    const ok = await connectTerminal(
      worker.port,
      { ...wanted, token: await signTerminalToken(SECRET, claims) },
      { origin: "http://allowed.test" },
    );
    ok.type("echo ok-$((40+2))\n");
    await ok.waitForOutput(/ok-42/);
    ok.close();
  });

  it("refuses a token whose session has been stopped", async () => {
    const { alice, session } = await startReadySession();
    const { token } = await alice.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" });
    await alice.api.session.stop({ sessionId: session.id });
    await waitForStatus(session.id, ["STOPPED"]);
    await expect(connectTerminal(worker.port, { token, sessionId: session.id, terminal: "busybox1" })).rejects.toThrow(
      /not running/,
    );
  });
});

describe("a session placed on another lab host", () => {
  it("is refused by this worker's gateway (other-worker), and served again once it is this worker's", async () => {
    const { alice, session } = await startReadySession();
    const issued = await alice.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" });
    expect(issued.url).toBe(`http://127.0.0.1:${worker.port}`); // this worker's registered gateway
    const auth = { token: issued.token, sessionId: session.id, terminal: "busybox1" };
    await db().labSession.update({ where: { id: session.id }, data: { workerId: "another-lab-host" } });
    await expect(connectTerminal(worker.port, auth)).rejects.toThrow(refusal.otherWorker);
    await db().labSession.update({ where: { id: session.id }, data: { workerId: worker.workerId } });
    const term = await connectTerminal(worker.port, auth);
    term.type("echo here-$((6*7))\n");
    await term.waitForOutput(/here-42/);
    term.close();
  });
});

describe("worker restarts", () => {
  it("reopens a running session's terminal from its labelled container without duplicating it", async () => {
    const { alice, session } = await startReadySession();
    const term = await connectTerminal(worker.port, {
      token: (await alice.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" })).token,
      sessionId: session.id,
      terminal: "busybox1",
    });
    term.type("echo marker > /tmp/survives\n");
    await term.waitForOutput(/marker/);

    const closed = new Promise((resolve) => term.once("disconnect", resolve));
    await worker.stop();
    await within(closed, 15_000, "the terminal to be closed by the stopping worker");
    worker = await testWorker();

    // A re-delivered provision job must adopt, not duplicate.
    await db().labSession.update({ where: { id: session.id }, data: { status: "PROVISIONING" } });
    const { enqueue } = await import("~/core/jobs/enqueue");
    const { getBoss } = await import("~/server/webBoss");
    await enqueue(await getBoss(process.env.DATABASE_URL!), "provisionSession", { sessionId: session.id });
    await waitForStatus(session.id, ["READY"]);
    expect((await engine.listSessionObjects(session.id)).containers).toHaveLength(2); // host + busybox1

    const again = await connectTerminal(worker.port, {
      token: (await alice.api.session.terminalToken({ sessionId: session.id, terminal: "busybox1" })).token,
      sessionId: session.id,
      terminal: "busybox1",
    });
    again.type("cat /tmp/survives\n");
    await again.waitForOutput(/survives\r?\nmarker/);
    again.close();
  });
});
