// An outsider against the worker's terminal port, which every browser must reach (WORKER_PUBLIC_URL): the
// operations endpoints mounted on it (worker/ops/http.ts) answer a request target that is not a URL with 400;
// before, the handler threw on it outside any catch and one such request made the whole worker exit.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../worker/app";
import { testWorker } from "../support/harness";

let worker: RunningWorker;

beforeAll(async () => {
  worker = await testWorker({ WORKER_ID: "r4-ops-attack" });
});

afterAll(async () => {
  await worker?.stop();
});

/** The status line the worker's port answers to a raw request for `target`. */
const statusLine = (target: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(worker.port, "127.0.0.1", () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer.split("\r\n")[0]!));
    socket.on("error", reject);
  });

describe("the worker's terminal port under attack", () => {
  it("a request target that is not a URL gets 400 and the worker keeps serving", async () => {
    expect(await statusLine("http://[")).toBe("HTTP/1.1 400 Bad Request");
    expect(await statusLine("/healthz")).toBe("HTTP/1.1 200 OK");
    expect((await fetch(`http://127.0.0.1:${worker.port}/readyz`)).status).toBe(200);
  });
});
