// An outsider against the worker's open operations endpoints (/metrics without METRICS_TOKEN, /readyz always
// open): a flood of scrapes must not become a flood of database and engine queries, and no answer may name the
// worker's machine (its database's address, its engine's socket) or repeat an error's text.
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "~/core/db";
import { processRegistry, type SessionCount, type WorkerLoad } from "~/core/metrics/definitions";
import { eventually } from "../../test/support/eventually";
import { captureLogs } from "../../test/support/logLines";
import { opsHttpHandler, type OpsHttpOptions } from "./http";
import { workerReadiness } from "./readiness";

let server: Server | undefined;
let requests = 0;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(options: Pick<OpsHttpOptions, "registry" | "ready">) {
  requests = 0;
  server = createServer(opsHttpHandler(options)).on("request", () => requests++);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.text() };
  };
}

/** A source that answers only when released, counting how often it was asked. */
function gatedSource<T>(rows: T) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const source = { calls: 0, release, read: async () => (source.calls++, await gate, rows) };
  return source;
}

/** Sends `count` requests at once; the sources' gates open once the server has received them all. */
async function flood(get: (path: string) => Promise<{ status: number; body: string }>, path: string, release: () => void) {
  const count = 100;
  const answers = Array.from({ length: count }, () => get(path));
  await eventually(`the server to receive ${count} requests`, () => requests === count, { timeoutMs: 10_000 });
  release();
  return Promise.all(answers);
}

const SECRET_PLACES = ["10.9.8.7", "5432", "/run/r4-attack/docker.sock", "db.internal"];

describe("the worker's ops endpoints under attack", () => {
  it("a hundred scrapes at once read the database once per source, not a hundred times, and all get the counts", async () => {
    const sessions = gatedSource<SessionCount[]>([{ status: "READY", workerId: "w1", count: 2 }]);
    const workers = gatedSource<WorkerLoad[]>([
      { id: "w1", capacity: 400, containers: 3, terminals: 1, draining: false, heartbeatAgeSeconds: 1 },
    ]);
    const queues = gatedSource([{ queue: "provision", queued: 0, active: 0 }]);
    const registry = processRegistry({ sessions: sessions.read, workers: workers.read, queues: queues.read });
    const get = await serve({ registry, ready: async () => ({ ready: true, checks: {} }) });

    const answers = await flood(get, "/metrics", () => [sessions, workers, queues].forEach((source) => source.release()));

    expect({ sessions: sessions.calls, workers: workers.calls, queues: queues.calls }).toEqual({
      sessions: 1,
      workers: 1,
      queues: 1,
    });
    for (const answer of answers) expect(answer.body).toMatch(/^wireroom_sessions\{status="READY",worker="w1"\} 2$/m);
  });

  it("a hundred /readyz at once ask the database and the engine once each", async () => {
    let queries = 0;
    let pings = 0;
    const database = gatedSource([{ one: 1 }]);
    const db = {
      $queryRaw: async () => (queries++, database.read()),
      worker: { findUnique: async () => (queries++, null) },
    } as unknown as Db;
    const ready = workerReadiness({ db, provisioner: { ping: async () => void pings++ }, workerId: "w1" });
    const get = await serve({ registry: new Registry(), ready });

    const answers = await flood(get, "/readyz", database.release);

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect({ queries, pings }).toEqual({ queries: 2, pings: 1 });
  });

  it("/readyz of a worker whose database and engine fail says which part failed, never where they are", async () => {
    const down = () => Promise.reject(new Error("Can't reach database server at `db.internal:5432` (10.9.8.7)"));
    const db = { $queryRaw: down, worker: { findUnique: down } } as unknown as Db;
    const engineDown = () =>
      Promise.reject(Object.assign(new Error("connect ENOENT /run/r4-attack/docker.sock"), { code: "ENOENT" }));
    const get = await serve({
      registry: new Registry(),
      ready: workerReadiness({ db, provisioner: { ping: engineDown }, workerId: "w1" }),
    });
    const logs = captureLogs({ quiet: true });

    const answer = await get("/readyz").finally(logs.restore);

    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/^database: failed/m);
    expect(answer.body).toMatch(/^engine: failed \(ENOENT\)/m);
    for (const place of SECRET_PLACES) expect(answer.body).not.toContain(place);
    // The operator still reads why, in the worker's log.
    expect(logs.records.map((r) => r.msg)).toContain("readiness: engine: connect ENOENT /run/r4-attack/docker.sock");
  });

  it("during an outage, a flood of /readyz logs each failing check once, not once per request", async () => {
    const down = () => Promise.reject(new Error("Can't reach database server (r4 flood)"));
    const db = { $queryRaw: down, worker: { findUnique: down } } as unknown as Db;
    const get = await serve({
      registry: new Registry(),
      ready: workerReadiness({ db, provisioner: { ping: async () => {} }, workerId: "w1" }),
    });
    const logs = captureLogs({ quiet: true });
    try {
      for (let i = 0; i < 50; i++) expect((await get("/readyz")).status).toBe(503);
    } finally {
      logs.restore();
    }
    const lines = logs.records.filter((r) => r.msg.endsWith("(r4 flood)")).map((r) => r.msg);
    expect(lines.sort()).toEqual([
      "readiness: database: Can't reach database server (r4 flood)",
      "readiness: draining: Can't reach database server (r4 flood)",
    ]);
  });

  it("during an outage, a flood of /metrics reports each failing source once, not once per scrape", async () => {
    const failures: string[] = [];
    const down = async (): Promise<never> => {
      throw new Error("Can't reach database server");
    };
    const registry = processRegistry({ sessions: down, workers: down, queues: down, onError: (source) => failures.push(source) });
    const get = await serve({ registry, ready: async () => ({ ready: true, checks: {} }) });
    for (let i = 0; i < 50; i++) expect((await get("/metrics")).status).toBe(200);
    expect(failures.sort()).toEqual(["queues", "sessions", "workers"]);
  });

  it("a request whose target is not a URL gets 400 (one such request used to throw in the handler: the worker exited)", async () => {
    await serve({ registry: new Registry(), ready: async () => ({ ready: true, checks: {} }) });
    const { port } = server!.address() as AddressInfo;
    const statusLine = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () =>
          socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
        );
        let answer = "";
        socket.on("data", (chunk) => (answer += chunk.toString()));
        socket.on("end", () => resolve(answer.split("\r\n")[0]!));
        socket.on("error", reject);
      });
    expect(await statusLine("http://[")).toBe("HTTP/1.1 400 Bad Request");
    expect(await statusLine("http://a:b:c/")).toBe("HTTP/1.1 400 Bad Request");
    // Still serving.
    expect(await statusLine("/healthz")).toBe("HTTP/1.1 200 OK");
  });

  it("a /metrics that fails answers 500 without the error's text", async () => {
    const registry = new Registry();
    registry.metrics = () => Promise.reject(new Error("connect ECONNREFUSED 10.9.8.7:5432"));
    const get = await serve({ registry, ready: async () => ({ ready: true, checks: {} }) });
    const logs = captureLogs({ quiet: true });
    const answer = await get("/metrics").finally(logs.restore);
    expect(answer.status).toBe(500);
    expect(logs.records.some((r) => r.msg === "/metrics failed" && r.level === "error")).toBe(true);
    for (const place of SECRET_PLACES) expect(answer.body).not.toContain(place);
  });
});
