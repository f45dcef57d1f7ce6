// Operations through the real path: a worker in-process serving /metrics, /healthz and /readyz on its terminal port,
// the web's routes, and the structured log. A session is started, a terminal opened and typed in, a check run; the
// metrics then show the session, the terminal, the provision and check durations, the echo latency, the queues and
// this worker's load; a log line is JSON carrying the session's and the job's ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as webHealthz } from "~/app/healthz/route";
import { GET as webMetrics } from "~/app/metrics/route";
import { GET as webReadyz } from "~/app/readyz/route";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import {
  connectTerminal,
  db,
  echoTime,
  engine,
  eventually,
  learner,
  testWorker,
  waitForStatus,
  type TerminalClient,
} from "../support/harness";
import { captureLogs } from "../support/logLines";
import { pooledSessionData } from "../support/pooledSession";

const WORKER_ID = "p-metrics";
let logs: ReturnType<typeof captureLogs>;
let worker: RunningWorker;
let sessionId: string;
let terminal: TerminalClient;

const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${worker.port}${path}`);
  return { status: res.status, body: await res.text() };
};

/** The value of one sample line (`name{labels} value`) of a scrape, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  logs = captureLogs();
  worker = await testWorker({ WORKER_ID });
  const owner = await learner();
  sessionId = (await owner.api.session.start({ labSlug: "joined" })).id;
  await waitForStatus(sessionId, [Status.ready]);
  const { token } = await owner.api.session.terminalToken({ sessionId, terminal: "host" });
  terminal = await connectTerminal(worker.port, { token, sessionId, terminal: "host" });
  await echoTime(terminal, "metrics");
  const { runId } = await owner.api.grading.check({ sessionId, stepId: "same-identity" });
  await eventually("the check run to end", async () => {
    const run = await db().checkRun.findUniqueOrThrow({ where: { id: runId } });
    return run.status !== RunStatus.queued && run.status !== RunStatus.running && run;
  });
  await worker.heartbeat.beat(); // its load (containers, terminals) in the registry now
});

afterAll(async () => {
  terminal?.close();
  await worker?.stop();
  logs?.restore();
  if (sessionId) await engine.teardown(sessionId);
});

describe("the worker's /metrics", () => {
  let text: string;
  beforeAll(async () => {
    const answer = await get("/metrics");
    expect(answer.status).toBe(200);
    text = answer.body;
  });

  it("counts the session by status and worker, and the open terminal and its client", () => {
    expect(sample(text, `wireroom_sessions{status="${Status.ready}",worker="${WORKER_ID}"}`)).toBe(1);
    expect(sample(text, "wireroom_terminals_open")).toBe(1);
    expect(sample(text, "wireroom_terminal_clients")).toBe(1);
  });

  it("has provision and check durations, the echo latency and the terminal's bytes", () => {
    expect(sample(text, 'wireroom_provision_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'wireroom_check_seconds_count{kind="check",outcome="ok"}')).toBe(1);
    expect(sample(text, "wireroom_terminal_echo_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "wireroom_terminal_echo_seconds_sum")).toBeGreaterThan(0);
    expect(sample(text, 'wireroom_terminal_bytes_total{direction="in"}')).toBeGreaterThan(0);
    expect(sample(text, 'wireroom_terminal_bytes_total{direction="out"}')).toBeGreaterThan(0);
  });

  it("has each queue's depth, the shared ones and this worker's own", () => {
    for (const queue of ["session-provision", `session-provision/${WORKER_ID}`, `session-check-stately/${WORKER_ID}`]) {
      expect(sample(text, `wireroom_queue_jobs{queue="${queue}",state="queued"}`), queue).toBeGreaterThanOrEqual(0);
      expect(sample(text, `wireroom_queue_jobs{queue="${queue}",state="active"}`), queue).toBeGreaterThanOrEqual(0);
    }
  });

  it("has this worker's load from the registry: capacity, containers, terminals, not draining, a fresh heartbeat", () => {
    const worker = (name: string) => sample(text, `wireroom_worker_${name}{worker="${WORKER_ID}"}`);
    expect(worker("capacity")).toBe(400);
    expect(worker("containers")).toBeGreaterThanOrEqual(1);
    expect(worker("terminals")).toBe(1);
    expect(worker("draining")).toBe(0);
    expect(worker("heartbeat_age_seconds")).toBeLessThan(30);
  });

  it("labels carry no session id", () => {
    expect(text).not.toContain(sessionId);
  });
});

describe("health and readiness", () => {
  it("the worker's /healthz and /readyz answer 200 (database and engine answer, not draining)", async () => {
    expect(await get("/healthz")).toEqual({ status: 200, body: "ok\n" });
    expect(await get("/readyz")).toEqual({ status: 200, body: "ready\ndatabase: ok\nengine: ok\ndraining: ok\n" });
  });

  it("the web's /healthz and /readyz answer 200", async () => {
    expect((await webHealthz()).status).toBe(200);
    const ready = await webReadyz();
    expect([ready.status, await ready.text()]).toEqual([200, "ready\ndatabase: ok\n"]);
  });
});

describe("the web's /metrics", () => {
  it("counts sessions by status and worker, and nothing per user", async () => {
    const res = await webMetrics(new Request("http://127.0.0.1:3000/metrics"));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, `wireroom_sessions{status="${Status.ready}",worker="${WORKER_ID}"}`)).toBe(1);
    expect(sample(text, `wireroom_worker_capacity{worker="${WORKER_ID}"}`)).toBe(400);
    expect(text).not.toContain(sessionId);
  });
});

describe("pooled sessions", () => {
  it("are counted by lab and status in wireroom_pool_sessions, not among the learners' sessions", async () => {
    const pooled = await db().labSession.create({
      // No worker of that id: none reconciles it while it is read.
      data: { ...pooledSessionData("joined"), status: Status.ready, workerId: "p-metrics-pool" },
    });
    try {
      for (const text of [
        (await get("/metrics")).body,
        await (await webMetrics(new Request("http://127.0.0.1:3000/metrics"))).text(),
      ]) {
        expect(sample(text, `wireroom_pool_sessions{lab="joined",status="${Status.ready}"}`)).toBe(1);
        expect(sample(text, `wireroom_sessions{status="${Status.ready}",worker="p-metrics-pool"}`)).toBeUndefined();
        expect(sample(text, `wireroom_sessions{status="${Status.ready}",worker="${WORKER_ID}"}`)).toBe(1);
      }
    } finally {
      await db().labSession.delete({ where: { id: pooled.id } });
    }
    expect(sample((await get("/metrics")).body, `wireroom_pool_sessions{lab="joined",status="${Status.ready}"}`)).toBeUndefined();
  });
});

describe("the structured log", () => {
  it("has JSON lines carrying the session's and the job's ids, with the worker's", () => {
    const provisioned = logs.records.find((r) => r.sessionId === sessionId && r.msg === "provision job done");
    expect(provisioned).toMatchObject({ level: "info", component: "provision", workerId: WORKER_ID, sessionId });
    expect(provisioned!.jobId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    const checked = logs.records.find((r) => r.sessionId === sessionId && r.msg === "checks ran");
    expect(checked).toMatchObject({ level: "info", component: "check", workerId: WORKER_ID, stepId: "same-identity" });
    expect(checked!.jobId).toEqual(expect.any(String));
  });
});
