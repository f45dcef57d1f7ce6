// The compose stack really runs (issue 13): docker-compose.yml is brought up on this machine (its
// images built with no registry, the lab images inside the stack), then a learner goes through the
// platform as a browser does, over the network only: anonymous sign-in and tRPC over the web's HTTP
// port, the terminal over the worker's socket.io port. Start → terminal (`docker network ls` on
// the session's own engine) → check → stop, and the worker's /metrics shows the session and its
// terminal. The stack is taken down with its volumes (images are kept as the build cache).
// Run by scripts/test.sh: vitest run --config test/compose/vitest.config.ts
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { io } from "socket.io-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppRouter } from "~/server/api/root";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { eventually } from "../support/eventually";
import { WEB, WORKER, WORKER_ID, buildImages, compose } from "./stack";

const LAB = "bridge-basics";

/** A guest signed in through the web's auth endpoint, as the browser's first visit does: its cookie. */
async function signInGuest(): Promise<string> {
  const res = await fetch(`${WEB}/api/auth/sign-in/anonymous`, {
    method: "POST",
    headers: { origin: WEB, "content-type": "application/json" },
    body: "{}",
  });
  if (!res.ok) throw new Error(`anonymous sign-in answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
}

function trpcAs(cookie: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${WEB}/api/trpc`, transformer: superjson, headers: { cookie, origin: WEB } })],
  });
}

async function metrics(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  if (!res.ok) throw new Error(`${base}/metrics answered ${res.status}`);
  return res.text();
}

/** The value of a metric's series whose labels include all of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ?? "";
    if (Object.entries(labels).every(([key, value]) => have.includes(`${key}="${value}"`))) return Number(match[3]);
  }
  return undefined;
}

let passed = false;

const ready = async (url: string) =>
  (await fetch(url).then(
    (r) => r.ok,
    () => false,
  )) || undefined;

beforeAll(async () => {
  await buildImages();
  // A stack left by an interrupted run would hold the ports.
  await compose(["down", "-v", "--remove-orphans"], 120_000);
  const started = performance.now();
  await compose(["up", "-d"], 600_000);
  await eventually("the worker's /readyz", () => ready(`${WORKER}/readyz`), { timeoutMs: 120_000, intervalMs: 500 });
  await eventually("the web's /readyz", () => ready(`${WEB}/readyz`), { timeoutMs: 120_000, intervalMs: 500 });
  console.log(`[compose test] up until both ready: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 1_800_000);

afterAll(async () => {
  const logs = await compose(["logs", "--no-color", "--tail", "60"]).catch((e: Error) => e.message);
  // The services' last lines, when the stack did not come up or the test failed.
  if (!passed || process.env.COMPOSE_TEST_LOGS) console.log(logs);
  await compose(["down", "-v", "--remove-orphans"], 120_000);
}, 180_000);

it("the stack serves start → terminal → check → stop, and /metrics shows the session", async () => {
  expect(await compose(["ps"])).toMatch(/migrate.*Exit 0|migrate.*exited \(0\)/i);

  const api = trpcAs(await signInGuest());
  const { id: sessionId } = await api.session.start.mutate({ labSlug: LAB });
  const view = await eventually(
    "the session to be READY",
    async () => {
      const session = await api.session.get.query({ sessionId });
      if (session.status === "FAILED") throw new Error(`the session failed: ${session.statusReason}`);
      return session.status === "READY" && session;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
  expect(view.status).toBe("READY");

  // The terminal, through the address the web hands out: the worker registered it.
  const issued = await api.session.terminalToken.mutate({ sessionId, terminal: "host" });
  expect(issued.url).toBe(WORKER);
  let screen = "";
  const connection = new TerminalConnection({
    reset: () => (screen = ""),
    write: (data, done) => {
      screen += data;
      done();
    },
  });
  const socket = io(`${issued.url}${TERMINAL_NAMESPACE}`, {
    auth: (cb) => cb({ token: issued.token, sessionId, terminal: "host", ...connection.handshake() }),
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: WEB },
  });
  connection.attach(socket);
  try {
    await eventually("the terminal's first screen", () => socket.connected && screen.length > 0, { timeoutMs: 20_000 });

    // `docker` in the host terminal talks to the session's own engine endpoint on the worker.
    connection.send("docker network ls\n");
    await eventually("docker network ls in the terminal", () => /NETWORK ID[\s\S]*\bnone\b\s+null\s+local/.test(screen), {
      timeoutMs: 20_000,
    });

    const workerMetrics = await metrics(WORKER);
    expect(sample(workerMetrics, "wireroom_sessions", { status: "READY", worker: WORKER_ID })).toBe(1);
    expect(sample(workerMetrics, "wireroom_terminals_open", {})).toBeGreaterThanOrEqual(1);

    // The first step's check, failed and then passed once the answer is written in the terminal.
    const stepId = "builtin-networks";
    // Each press writes the check's result anew (its time changes, passed or not).
    const checked = async (after: Date | undefined) => {
      const { runId } = await api.grading.check.mutate({ sessionId, stepId });
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);
      return eventually(
        "the check's result",
        async () => {
          const progress = await api.grading.progress.query({ sessionId });
          const result = progress.steps.find((step) => step.id === stepId)?.checks[0]?.result;
          return result && (!after || result.at > after) ? result : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    };
    const first = await checked(undefined);
    expect(first).toMatchObject({ passed: false });
    connection.send("echo null > /tmp/none-driver\n");
    await eventually("the answer to be written", () => screen.includes("echo null > /tmp/none-driver"), { timeoutMs: 10_000 });
    expect(await checked(first.at)).toMatchObject({ passed: true });
  } finally {
    socket.close();
  }

  await api.session.stop.mutate({ sessionId });
  await eventually(
    "the session to be stopped",
    async () => {
      const session = await api.session.get.query({ sessionId });
      return session.status === "STOPPED" && session;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  await eventually(
    "/metrics to show no running session",
    async () => sample(await metrics(WORKER), "wireroom_sessions", { status: "READY", worker: WORKER_ID }) === undefined,
    { timeoutMs: 10_000, intervalMs: 250 },
  );
  // The compose file's own health checks (/readyz through node in each container) pass too.
  await eventually(
    "web and worker to be healthy in compose ps",
    async () => {
      const ps = await compose(["ps"]);
      return /_web_1 .*\(healthy\)|-web-1 .*\(healthy\)/.test(ps) && /_worker_1 .*\(healthy\)|-worker-1 .*\(healthy\)/.test(ps);
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  passed = true;
});
