import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { Readiness } from "~/core/metrics/readiness";
import { captureLogs } from "../../test/support/logLines";
import { opsHttpHandler, type OpsHttpOptions } from "./http";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(options: Partial<OpsHttpOptions> = {}) {
  const registry = new Registry();
  new Counter({ name: "wireroom_test_total", help: "a test counter", registers: [registry] }).inc(3);
  server = createServer(
    opsHttpHandler({
      registry,
      ready: async (): Promise<Readiness> => ({ ready: true, checks: { database: "ok" } }),
      ...options,
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path, init);
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
}

describe("the worker's operations endpoints", () => {
  it("/healthz answers 200 ok; unknown paths 404; other methods 405", async () => {
    const get = await serve();
    expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
    expect((await get("/healthz?x=1")).status).toBe(200);
    expect((await get("/nothing")).status).toBe(404);
    expect(await get("/metrics", { method: "POST" })).toMatchObject({ status: 405, body: "/metrics answers GET only\n" });
  });

  it("/metrics serves the registry in Prometheus's text format", async () => {
    const answer = await (await serve())("/metrics");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toMatch(/^wireroom_test_total 3$/m);
  });

  it("with METRICS_TOKEN, /metrics needs the bearer token (health and readiness stay open)", async () => {
    const get = await serve({ metricsToken: "0123456789abcdef-token" });
    const refused = await get("/metrics");
    expect(refused).toMatchObject({ status: 401, body: "metrics need the header Authorization: Bearer <METRICS_TOKEN>\n" });
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect((await get("/metrics", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    const allowed = await get("/metrics", { headers: { authorization: "Bearer 0123456789abcdef-token" } });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain("wireroom_test_total 3");
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/readyz")).status).toBe(200);
  });

  it("/readyz: 200 when ready; 503 naming what is wrong when a probe fails (the database unreachable)", async () => {
    expect(await (await serve())("/readyz")).toMatchObject({ status: 200, body: "ready\ndatabase: ok\n" });
    server!.close();
    const get = await serve({
      ready: async () => ({
        ready: false,
        checks: { database: "connect ECONNREFUSED 127.0.0.1:5432", engine: "ok", draining: "ok" },
      }),
    });
    expect(await get("/readyz")).toMatchObject({
      status: 503,
      body: "not ready\ndatabase: connect ECONNREFUSED 127.0.0.1:5432\nengine: ok\ndraining: ok\n",
    });
  });

  it("a readiness callback that throws answers 500, its message only in the log (anyone may ask)", async () => {
    const get = await serve({ ready: () => Promise.reject(new Error("probe crashed")) });
    const logs = captureLogs({ quiet: true });
    const answer = await get("/readyz").finally(logs.restore);
    expect(answer).toMatchObject({ status: 500, body: "/readyz failed; details in the worker's log\n" });
    expect(logs.records.find((r) => r.msg === "/readyz failed")?.err).toMatchObject({ message: "probe crashed" });
  });
});
