// Red-team tests of issue 11's new surfaces, on the real engine and PostgreSQL: who can reveal or
// read a solution and a locked hint (tRPC callers, the HTTP route without or with a forged cookie,
// live.session); whether reveals can flood the NOTIFY channel or grow a table; whether a learner
// can make a check pass without the work or stall it past the probe's bounded time, or make it
// read another session. Each test fails if its defence breaks.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckCouldNotRunError } from "~/core/grading/couldNotRun";
import { evaluate, runChecks } from "~/core/grading/runChecks";
import { checkSchema, type Check } from "~/core/labs/schema";
import { validateLabFile } from "~/core/labs/validate";
import { SESSION_CHANNEL } from "~/core/push/sessionEvents";
import { RunStatus } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { callTrpc, db, engine, eventually, learner, testWorker, waitForStatus, within } from "../support/harness";
import { sh, startLab, teardownAll } from "../support/lab";
import { endpointDocker } from "../support/sessionEndpoint";
import { containerName } from "../../worker/provisioner/docker/names";
import { type Live, runOutcome, until } from "../support/live";

type Learner = Awaited<ReturnType<typeof learner>>;
const PARAMS = { token: "t0k3n" };
const WEB = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
const STEP = "builtin-networks"; // fixture bridge-basics: its check none-driver has two hints
const CHECK = "none-driver";
const SECOND_HINT = "The none network's driver is the one whose name means nothing: null.";

const base = { id: "c", description: "the check holds", points: 1, failure: "the check does not hold", hints: [] };
const check = (c: Record<string, unknown>): Check => checkSchema.parse({ ...base, ...c });

/** Serves the session's token on 127.0.0.1:`port` from inside `container` (the shortcut the step checks must refuse). */
const serveTokenOnLoopback = (sessionId: string, container: string, port: number) =>
  sh(
    sessionId,
    container,
    `mkdir -p /tmp/www && echo ${PARAMS.token} > /tmp/www/index.html && httpd -p 127.0.0.1:${port} -h /tmp/www`,
  );

/** Whether every check of a shipped lab's step (labs/<slug>/lab.yaml, as the catalog reads it) passes now. */
async function shippedStepPasses(sessionId: string, slug: string, stepId: string): Promise<boolean> {
  const file = path.resolve(import.meta.dirname, `../../labs/${slug}/lab.yaml`);
  const { lab, problems } = validateLabFile(file, readFileSync(file, "utf8"), slug);
  if (!lab) throw new Error(`${file}: ${JSON.stringify(problems)}`);
  if (!lab.steps.some((s) => s.id === stepId)) throw new Error(`${slug} has no step ${stepId}`);
  return (await runChecks(engine, sessionId, lab, PARAMS, stepId)).every((o) => o.passed);
}

describe("reveals and hints through every door", () => {
  let worker: RunningWorker;
  let owner: Learner, viewer: Learner, stranger: Learner;
  let sessionId: string;
  const subscribe = async (as: Learner): Promise<Live> => (await as.api.live.session({ sessionId }))[Symbol.asyncIterator]();

  beforeAll(async () => {
    worker = await testWorker();
    [owner, viewer, stranger] = await Promise.all([learner(), learner(), learner()]);
    sessionId = (await owner.api.session.start({ labSlug: "bridge-basics" })).id;
    const { path } = await owner.api.session.share({ sessionId, role: "viewer" });
    await viewer.api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
    await waitForStatus(sessionId, [Status.ready]);
  });
  afterAll(async () => {
    await worker?.stop();
    await engine.teardown(sessionId);
  });

  it("the HTTP route reveals and reads nothing without a cookie, with a forged one, or with another learner's", async () => {
    const input = { sessionId, stepId: STEP };
    const forged = owner.cookie.replace(/=([^.;]+)\.[^;]+/, "=$1.Zm9yZ2Vk"); // the owner's token, another signature
    for (const cookie of [undefined, "netlab.session_token=nobody.c2ln", forged]) {
      const reveal = await callTrpc("grading.revealSolution", input, { cookie, origin: WEB });
      expect(reveal, `reveal with ${cookie}`).toMatchObject({ status: 401, error: { code: "UNAUTHORIZED" } });
      const progress = await callTrpc("grading.progress", { sessionId }, { cookie, method: "GET" });
      expect(progress, `progress with ${cookie}`).toMatchObject({ status: 401 });
      expect(progress.text).not.toContain("echo null");
    }
    const other = await callTrpc("grading.revealSolution", input, { cookie: stranger.cookie, origin: WEB });
    expect(other).toMatchObject({ status: 404, error: { code: "NOT_FOUND" } });
    // The owner's own cookie from a page of another origin cannot reveal either.
    const crossSite = await callTrpc("grading.revealSolution", input, { cookie: owner.cookie, origin: "http://evil.test" });
    expect(crossSite.status).toBe(403);
    expect(await db().solutionReveal.count({ where: { sessionId } })).toBe(0);
  });

  it("a stranger's Check presses do not unlock the owner's hints; a viewer's are refused", async () => {
    await expect(stranger.api.grading.check({ sessionId, stepId: STEP })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(viewer.api.grading.check({ sessionId, stepId: STEP })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().checkResult.count({ where: { sessionId } })).toBe(0);
  });

  it("a viewer's live stream carries no locked hint and no unrevealed solution, before and after the owner's failures", async () => {
    const watching = await subscribe(viewer);
    const pressing = await subscribe(owner);
    try {
      const first = await until(watching, "the viewer's progress", (e) => (e.type === "progress" ? e : undefined));
      expect(JSON.stringify(first)).not.toMatch(/echo null|means nothing/);
      const { runId } = await owner.api.grading.check({ sessionId, stepId: STEP });
      expect(await until(pressing, "the check's outcome", runOutcome(runId), 60_000)).toMatchObject({ status: RunStatus.failed });
      // The viewer is pushed the first hint, never the second, never the solution.
      const pushed = await until(watching, "the first hint pushed", (e) =>
        e.type === "progress" && e.progress.steps[0]!.checks.some((c) => c.id === CHECK && c.failures === 1) ? e : undefined,
      );
      expect(JSON.stringify(pushed)).not.toContain(SECOND_HINT);
      expect(JSON.stringify(pushed)).not.toContain("echo null");
    } finally {
      await watching.return?.();
      await pressing.return?.();
    }
  });

  it("repeated reveals and reveals of unknown steps write one row and announce once (no flood, no growth)", async () => {
    const listener = new Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const notes: string[] = [];
    listener.on("notification", (n) => {
      if (n.payload) notes.push(n.payload);
    });
    await listener.query(`LISTEN "${SESSION_CHANNEL}"`);
    try {
      const unknown = Array.from({ length: 40 }, (_, i) =>
        owner.api.grading.revealSolution({ sessionId, stepId: `no-such-step-${i}` }).then(
          () => "revealed",
          (e: { code?: string }) => e.code,
        ),
      );
      const repeated = Array.from({ length: 40 }, () => owner.api.grading.revealSolution({ sessionId, stepId: STEP }));
      const [unknownAnswers, answers] = await Promise.all([Promise.all(unknown), Promise.all(repeated)]);
      expect(new Set(unknownAnswers)).toEqual(new Set(["NOT_FOUND"]));
      expect(new Set(answers.map((a) => a.solution))).toEqual(new Set(["```sh host\necho null > /tmp/none-driver\n```\n"]));
      expect(await db().solutionReveal.findMany({ where: { sessionId }, select: { stepId: true, userId: true } })).toEqual([
        { stepId: STEP, userId: owner.id },
      ]);
      // A NOTIFY after ours marks the end of what ours could still announce.
      // (In the trigger's format, for a session no one watches.)
      const marker = randomUUID();
      await db().$executeRawUnsafe(
        `SELECT pg_notify('${SESSION_CHANNEL}', '{"sessionId":"${marker}","kind":"result","id":null}')`,
      );
      await eventually("the marker notification", () => notes.some((n) => n.includes(marker)));
      expect(notes.filter((n) => n.includes(sessionId))).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });

  it("a submission requested once a reveal returned records it; one requested at the same moment as a reveal never records a step nobody revealed", async () => {
    const live = await subscribe(owner);
    try {
      const [{ runId }] = await Promise.all([
        owner.api.grading.submit({ sessionId }),
        owner.api.grading.revealSolution({ sessionId, stepId: "container-address" }),
      ]);
      await until(live, "the submission's outcome", runOutcome(runId), 60_000);
      const submission = await db().submission.findUniqueOrThrow({ where: { id: runId } });
      const rows = await db().solutionReveal.findMany({ where: { sessionId } });
      expect(submission.revealedSteps.every((s) => rows.some((r) => r.stepId === s))).toBe(true);
      // STEP was revealed (and returned) before this submit was asked for: it is always recorded.
      expect(submission.revealedSteps).toContain(STEP);
      // The run graded the live state before it read the reveals: a reveal that returned before
      // the run started is in it.
      const run = await db().checkRun.findUniqueOrThrow({ where: { id: runId } });
      const revealedAt = rows.find((r) => r.stepId === "container-address")!.createdAt;
      if (run.startedAt && revealedAt < run.startedAt) expect(submission.revealedSteps).toContain("container-address");
    } finally {
      await live.return?.();
    }
  });
});

describe("checks on what the learner made", () => {
  afterAll(() => teardownAll());

  it("a container named as expected in another mode, or a network of the expected name with another driver, fails", async () => {
    const { sessionId } = await startLab({
      networks: [{ name: "mynet", driver: "bridge" }],
      containers: [
        { name: "web", network: "bridge" },
        { name: "client", network: "container:web" },
      ],
    });
    const verdict = (c: Record<string, unknown>) => evaluate(engine, sessionId, check(c), PARAMS);
    expect(await verdict({ kind: "container", name: "web", networkMode: "mynet" })).toMatchObject({
      passed: false,
      message: "the check does not hold (its network is bridge)",
    });
    expect(await verdict({ kind: "container", name: "web", networkMode: "none" })).toMatchObject({ passed: false });
    expect(await verdict({ kind: "container", name: "client", networkMode: "host" })).toMatchObject({ passed: false });
    expect(await verdict({ kind: "container", name: "client", networkMode: "container:web" })).toMatchObject({ passed: true });
    expect(await verdict({ kind: "network", name: "mynet", driver: "overlay" })).toMatchObject({
      passed: false,
      message: "the check does not hold (its driver is bridge)",
    });
    // The session host and the default bridge are not a learner's container or network.
    expect(await verdict({ kind: "container", name: "web", networkMode: "host" })).toMatchObject({ passed: false });
  });

  it("a check reads only its own session: the same name in another session is not seen", async () => {
    const mine = await startLab({ containers: [{ name: "busybox1" }] });
    const theirs = await startLab({ containers: [{ name: "busybox1" }, { name: "web" }] });
    await sh(theirs.sessionId, "busybox1", "echo their-secret > /tmp/answer");
    const read = check({ kind: "output", container: "busybox1", run: "cat /tmp/answer", matches: "their-secret" });
    expect(await evaluate(engine, mine.sessionId, read, PARAMS)).toMatchObject({ passed: false });
    expect(await evaluate(engine, mine.sessionId, check({ kind: "container", name: "web" }), PARAMS)).toMatchObject({
      passed: false,
      message: "the check does not hold (no running container web)",
    });
  });

  it("a FIFO where a check reads a file, and a resolver that never answers, end within the probe's bounded time", async () => {
    const { sessionId } = await startLab({
      containers: [{ name: "busybox1" }, { name: "mute", dns: ["@labdns"] }],
      labDns: true,
    });
    await sh(sessionId, "busybox1", "mkfifo /tmp/answer");
    /** The check ends within the probe's bounded time (5 s) and does not pass: it fails, or could not run. */
    const endsUnpassedWithin = async (probe: Check, what: string) => {
      const outcome = await within(
        evaluate(engine, sessionId, probe, PARAMS).catch((e: unknown) => e),
        8_000,
        `${what} to end`,
      );
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(CheckCouldNotRunError);
      else expect(outcome).toMatchObject({ passed: false });
    };
    await endsUnpassedWithin(
      check({ kind: "output", container: "busybox1", run: "cat /tmp/answer", matches: "x" }),
      "a check reading a FIFO",
    );
    // The worker and the container still answer the next check.
    expect(
      await evaluate(engine, sessionId, check({ kind: "output", container: "busybox1", run: "echo ok", matches: "^ok" }), PARAMS),
    ).toMatchObject({ passed: true });

    // The lab DNS stops answering (paused: no reply, no ICMP), as a learner's --dns at a silent address would.
    const dns = endpointDocker.getContainer(containerName(sessionId, "dns"));
    await dns.pause();
    try {
      await endsUnpassedWithin(
        check({ kind: "resolves", container: "mute", name: "www.lab.example", resolves: true }),
        "a lookup at a silent resolver",
      );
    } finally {
      await dns.unpause(); // a paused container left behind would hold up its session's teardown
    }
  });

  // Found by this red team: a probe that timed out leaves its process in the learner's container (a
  // blocked `cat` per Check press, until the container's pids limit: its shell can no longer fork).
  it("a probe's process does not outlive the probe's bounded time", async () => {
    const { sessionId } = await startLab({ containers: [{ name: "busybox1" }] });
    await sh(sessionId, "busybox1", "mkfifo /tmp/answer");
    const reading = check({ kind: "output", container: "busybox1", run: "cat /tmp/answer | grep x", matches: "x" });
    await evaluate(engine, sessionId, reading, PARAMS).catch((e: unknown) => expect(e).toBeInstanceOf(CheckCouldNotRunError));
    const left = () => sh(sessionId, "busybox1", "ps -o args | grep -c '^cat /tmp/answer' || true");
    await eventually("the probe's reader to be gone", async () => (await left()).output.trim() === "0", { timeoutMs: 5_000 });
  });

  // Found by this red team: `resolves: false` passes whenever nslookup gets no answer at all, so a
  // container with no network (or on a network of its own) passes "on the default bridge, the name
  // web does not resolve" (labs/mynet step names, check busybox1-cannot) without being on the bridge.
  it("resolves: false passes only when a resolver answered that the name does not exist, not when no resolver could be asked", async () => {
    const { sessionId } = await startLab({
      networks: [
        { name: "mynet", driver: "bridge" },
        { name: "alone", driver: "bridge" },
      ],
      containers: [
        { name: "web", network: "mynet" },
        { name: "bridged", network: "bridge" },
        { name: "cut", network: "none" },
        { name: "elsewhere", network: "alone" },
      ],
    });
    const cannot = (container: string) => check({ kind: "resolves", container, name: "web", resolves: false });
    expect(await evaluate(engine, sessionId, cannot("bridged"), PARAMS)).toMatchObject({ passed: true });
    // On a network of its own, Docker's DNS answers that web does not exist: true of that container,
    // but the lab's claim ("on the default bridge") needs its own container check (see below).
    expect(await evaluate(engine, sessionId, cannot("elsewhere"), PARAMS)).toMatchObject({ passed: true });
    expect(await evaluate(engine, sessionId, cannot("cut"), PARAMS)).toMatchObject({ passed: false });
  });

  // Found by this red team, on the shipped labs' own steps: each step reaches full marks in a
  // session built to avoid its lesson. (labs/** is helper A's: the fix is a container check in the
  // step, on the container the other check runs in, with the network mode the lesson is about.)
  it("labs/mynet step names is not complete when busybox1 is not on the default bridge (none, or a network of its own)", async () => {
    for (const mode of ["none", "alone"]) {
      const { sessionId } = await startLab({
        networks: [
          { name: "mynet", driver: "bridge" },
          { name: "alone", driver: "bridge" },
        ],
        containers: [
          { name: "web", network: "mynet" },
          { name: "client", network: "mynet" },
          { name: "busybox1", network: mode },
        ],
      });
      expect(await shippedStepPasses(sessionId, "mynet", "names"), `busybox1 on ${mode}`).toBe(false);
    }
  });

  it("labs/host step shared-localhost is not complete when hosted serves the page itself on the default bridge", async () => {
    const { sessionId } = await startLab({ containers: [{ name: "hosted", network: "bridge" }] });
    await serveTokenOnLoopback(sessionId, "hosted", 8080);
    expect(await shippedStepPasses(sessionId, "host", "shared-localhost")).toBe(false);
  });

  // Found by the review of issue 11: the same shortcut in joined and none.
  it("labs/joined step shared-localhost is not complete when busybox2 serves the page itself on the default bridge", async () => {
    const { sessionId } = await startLab({
      containers: [
        { name: "busybox1", network: "bridge" },
        { name: "busybox2", network: "bridge" },
      ],
    });
    await serveTokenOnLoopback(sessionId, "busybox2", 8080);
    expect(await shippedStepPasses(sessionId, "joined", "shared-localhost")).toBe(false);
  });

  it("labs/none step loopback is not complete when closed is on the default bridge", async () => {
    const { sessionId } = await startLab({ containers: [{ name: "closed", network: "bridge" }] });
    await serveTokenOnLoopback(sessionId, "closed", 8000);
    expect(await shippedStepPasses(sessionId, "none", "loopback")).toBe(false);
  });
});
