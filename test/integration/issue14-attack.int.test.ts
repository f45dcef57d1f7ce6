// Red team of issue 14's new surfaces, as a learner would attack them (real engine, real PostgreSQL,
// a real worker with room for 4 containers and bridge-basics' pool at 1):
// - a pooled session before it is claimed: no tRPC call, live stream or terminal token reaches it;
// - a claim hands over nothing of the pool's time (no owner, params, runs, marked processes);
// - the line: one learner cannot queue past their limit, cannot jump ahead by cancelling and starting
//   again, and a page hears only its own place;
// - a batch of probes: a learner's output cannot forge a delimiter; fake `timeout`, `head` and
//   `base64` (the learner is root in busybox) and a probe that forks cannot hold the batch past its
//   bound nor make it read more than its limit; Check presses are bounded per session and step.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchTimeoutMs } from "~/core/grading/batchScript";
import { PROBE_OUTPUT_LIMIT, PROBE_TIMEOUT_MS } from "~/core/grading/batchProbes";
import { POOL_OWNER } from "~/core/pool/poolOwner";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { UNFINISHED_RUNS } from "~/protocol/checkRun";
import { Status } from "~/protocol/sessionStatus";
import type { RunningWorker } from "../../worker/app";
import { connectTerminal, db, engine, eventually, learner, testWorker, waitForStatus } from "../support/harness";
import { refused } from "../support/refused";

type Learner = Awaited<ReturnType<typeof learner>>;
let worker: RunningWorker;
const everyId: string[] = [];

beforeAll(async () => {
  worker = await testWorker({ SESSION_POOL: "bridge-basics=1", WORKER_CAPACITY: "4", WORKER_HEARTBEAT_SECONDS: "1" });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  for (const { id } of await db().labSession.findMany({ select: { id: true } })) await engine.teardown(id);
}, 120_000);

/** The READY pooled session of bridge-basics (waits for the refill). */
const pooledReady = () =>
  eventually(
    "a ready pooled session",
    async () =>
      (await db().labSession.findFirst({
        where: { labSlug: "bridge-basics", pooledAt: { not: null }, status: Status.ready },
      })) ?? undefined,
    { timeoutMs: 120_000 },
  );

/** Reads a live stream's first event (a refusal rejects). */
async function firstLiveEvent(who: Learner, sessionId: string) {
  const stream = (await who.api.live.session({ sessionId }))[Symbol.asyncIterator]();
  try {
    return await stream.next();
  } finally {
    await stream.return?.();
  }
}

const sh = (sessionId: string, script: string) => engine.run(sessionId, "busybox1", ["sh", "-c", script]);

let alice: Learner;
let aliceSession: string;

describe("a pooled session before and at its claim", () => {
  it("is reached by no share, stop, check, progress, reveal, live stream or token naming the attacker", async () => {
    const pooled = await pooledReady();
    const mallory = await learner();
    const sessionId = pooled.id;
    const notFound = { code: "NOT_FOUND" };
    expect(await refused(mallory.api.session.share({ sessionId, role: "driver" }))).toMatchObject(notFound);
    expect(await refused(mallory.api.session.stop({ sessionId }))).toMatchObject(notFound);
    expect(await refused(mallory.api.grading.check({ sessionId, stepId: "container-address" }))).toMatchObject(notFound);
    expect(await refused(mallory.api.grading.progress({ sessionId }))).toMatchObject(notFound);
    expect(await refused(mallory.api.grading.revealSolution({ sessionId, stepId: "container-address" }))).toMatchObject(notFound);
    expect(await refused(mallory.api.grading.submit({ sessionId }))).toMatchObject(notFound);
    expect(await refused(firstLiveEvent(mallory, sessionId))).toMatchObject(notFound);
    // A token signed (as if the secret leaked to no one but the web) for the attacker's own id and the pooled id.
    const token = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
      sub: mallory.id,
      sid: sessionId,
      terminal: "busybox1",
      role: "driver",
      cid: randomBytes(16).toString("base64url"),
      handle: "mallory",
    });
    await expect(connectTerminal(worker.port, { token, sessionId, terminal: "busybox1" })).rejects.toMatchObject({
      data: { reason: "not-ready" },
    });
    // Nothing was written by any of it: still pooled, no run, no member, no reveal.
    const after = await db().labSession.findUniqueOrThrow({
      where: { id: sessionId },
      include: { members: true, checkRuns: true, reveals: true },
    });
    expect(after).toMatchObject({ ownerId: POOL_OWNER, status: Status.ready, members: [], checkRuns: [], reveals: [] });
    expect(after.pooledAt).not.toBeNull();
    expect(worker.hub.counts().terminals).toBe(0);
  }, 90_000);

  it("hands its claimer nothing of its time in the pool: no pool owner or old token in the view, no marked process", async () => {
    const pooled = await pooledReady();
    const oldToken = (pooled.params as { token: string }).token;
    alice = await learner();
    const view = await alice.api.session.start({ labSlug: "bridge-basics" });
    aliceSession = view.id;
    everyId.push(view.id);
    expect(view).toMatchObject({ id: pooled.id, status: Status.ready });
    const shown = JSON.stringify([
      view,
      await alice.api.session.get({ sessionId: view.id }),
      await alice.api.grading.progress({ sessionId: view.id }),
    ]);
    expect(shown).not.toContain(POOL_OWNER);
    expect(shown).not.toContain(oldToken);
    // No process any probe or exec of the pool's time left behind (each carries a WIREROOM_ marker).
    const marked = await sh(
      view.id,
      "for p in /proc/[0-9]*; do [ $p != /proc/$$ ] && grep -qs WIREROOM_ $p/environ && echo ${p#/proc/}; done; true",
    );
    expect(
      marked.output
        .trim()
        .split(/\s+/)
        .filter((pid) => pid !== "" && pid !== "1"),
    ).toEqual([]);
  }, 90_000);
});

describe("the line", () => {
  let carol: Learner;
  let dave: Learner;
  let erin: Learner;
  const waiting: Record<string, string> = {};

  it("fills the host with learners (the pool gives way); a learner holds one place per lab and cannot queue past the limit", async () => {
    // The pool has refilled (the host is full: Alice's lab and the new pooled one) before Bob comes.
    // In one CI run Bob waited in line past 150 s when the release hit a pooled session still
    // provisioning: a suspected race of its own (its containers outliving the teardown), not this
    // test's subject, and a follow-up.
    await pooledReady();
    const bob = await learner();
    const b = await bob.api.session.start({ labSlug: "bridge-basics" });
    everyId.push(b.id);
    await waitForStatus(b.id, [Status.ready], 150_000); // the pool's session was released for it, or it was claimed
    [carol, dave, erin] = await Promise.all([learner(), learner(), learner()]);
    const c1 = await carol.api.session.start({ labSlug: "bridge-basics" });
    const d1 = await dave.api.session.start({ labSlug: "bridge-basics" });
    const e1 = await erin.api.session.start({ labSlug: "bridge-basics" });
    everyId.push(c1.id, d1.id, e1.id);
    Object.assign(waiting, { c1: c1.id, d1: d1.id, e1: e1.id });
    expect([c1, d1, e1].map((v) => [v.status, v.line?.position])).toEqual([
      [Status.waiting, 1],
      [Status.waiting, 2],
      [Status.waiting, 3],
    ]);
    // The same lab again is the same place in line, not a second one.
    expect(await carol.api.session.start({ labSlug: "bridge-basics" })).toMatchObject({ id: c1.id, line: { position: 1 } });
    // Other labs: at most her limit (3) held, running or waiting; the start past it is refused.
    const more: Array<{ id: string } | { code: string }> = [];
    for (const labSlug of ["none", "joined", "two-bridges"])
      more.push(await carol.api.session.start({ labSlug }).catch((error: { code: string }) => ({ code: error.code })));
    for (const m of more) if ("id" in m) everyId.push(m.id);
    expect(more.at(-1)).toEqual({ code: "TOO_MANY_REQUESTS" });
    expect(await db().labSession.count({ where: { ownerId: carol.id, status: Status.waiting } })).toBeLessThanOrEqual(3);
  }, 240_000);

  it("cannot be jumped by cancelling and starting again, and a page hears only its own place", async () => {
    // Carol leaves the front (every place she holds) and starts again: she is last, not first.
    for (const { id } of await db().labSession.findMany({ where: { ownerId: carol.id, status: Status.waiting } }))
      await carol.api.session.stop({ sessionId: id });
    const again = await carol.api.session.start({ labSlug: "bridge-basics" });
    everyId.push(again.id);
    expect(again).toMatchObject({ status: Status.waiting, line: { position: 3 } });
    const d = await dave.api.session.get({ sessionId: waiting.d1! });
    expect(d.line).toMatchObject({ position: 1 });
    // Dave's view and his live stream name no other session of the line, nor anyone's id.
    const live = await firstLiveEvent(dave, waiting.d1!);
    const heard = JSON.stringify([d, live.value]);
    for (const other of [waiting.e1!, again.id, carol.id, erin.id]) expect(heard).not.toContain(other);
    // Nor can he read another's place.
    expect(await refused(dave.api.session.get({ sessionId: again.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refused(firstLiveEvent(dave, again.id))).toMatchObject({ code: "NOT_FOUND" });
    // Cleaning up: everyone leaves the line (a stop while waiting is STOPPED at once).
    await dave.api.session.stop({ sessionId: waiting.d1! });
    await erin.api.session.stop({ sessionId: waiting.e1! });
    await carol.api.session.stop({ sessionId: again.id });
    expect(await db().labSession.count({ where: { status: Status.waiting } })).toBe(0);
  }, 60_000);
});

describe("a batch of probes in a learner's container (the learner is root there, without capabilities)", () => {
  const options = { timeoutMs: PROBE_TIMEOUT_MS, outputLimit: PROBE_OUTPUT_LIMIT };

  /** Runs a batch in busybox1 and returns its results and how long it took (ms). */
  async function batch(commands: string[]) {
    const started = performance.now();
    const results = await engine.runProbes(aliceSession, "busybox1", commands, options);
    return { results, ms: performance.now() - started };
  }

  it("keeps a learner's output as output: forged delimiters and base64 in a file are read back verbatim", async () => {
    const forged = "\\nffffffffffffffffffffffffffffffff:1:E\\n\\n0:1:B\\nZm9yZ2Vk\\n:1:E\\n:tools\\n";
    await sh(aliceSession, `printf '${forged}' > /tmp/forged; echo 10.9.9.9 >> /tmp/forged`);
    const written = (await sh(aliceSession, "cat /tmp/forged")).output;
    expect(written).toContain(":1:E\n");
    const { results } = await batch(["cat /tmp/forged", "echo second"]);
    expect(results).toEqual([{ output: written }, { output: "second\n" }]);
  }, 30_000);

  it("cannot have its tools replaced: every directory of the exec's PATH is read-only in the learner's containers", async () => {
    for (const container of ["busybox1", "host"]) {
      // What the batch script runs, found as the exec finds it, and whether root can write beside it or mount over it.
      const { output } = await engine.run(aliceSession, container, [
        "sh",
        "-c",
        'for t in sh timeout head base64 tr grep; do command -v $t; done; echo "PATH=$PATH"; ' +
          'for d in $(echo "$PATH" | tr : " "); do [ -d "$d" ] || continue; touch "$d/.r6" 2>/dev/null && echo "WRITABLE $d"; done; ' +
          "mount -t tmpfs none /bin 2>/dev/null && echo MOUNTED; true",
      ]);
      expect(output, container).not.toMatch(/WRITABLE|MOUNTED/);
      expect(output, container).toMatch(/^PATH=\//m);
      expect(output, container).not.toMatch(/^PATH=.*(^|:)(\.|)(:|$)/m); // no relative or empty entry (the cwd)
      for (const tool of ["timeout", "head", "base64"])
        expect(output, `${container}: ${tool}`).toMatch(new RegExp(`^(/.*/)?${tool}$`, "m"));
    }
  }, 30_000);

  it("gives a blocked probe its bound and kills it, the others keeping their output", async () => {
    await sh(aliceSession, "rm -f /tmp/fifo; mkfifo /tmp/fifo");
    const { results, ms } = await batch(["echo first", "cat /tmp/fifo", "echo third"]);
    expect(ms).toBeLessThan(batchTimeoutMs(3, options));
    expect(results).toEqual([
      { output: "first\n" },
      { error: `sh -c cat /tmp/fifo did not finish within ${PROBE_TIMEOUT_MS} ms` },
      { output: "third\n" },
    ]);
    await eventually("the blocked probe killed", async () =>
      (await sh(aliceSession, "ps -o args | grep -c '^cat /tmp/fifo'; true")).output.trim() === "0" ? true : undefined,
    );
  }, 60_000);

  it("cuts a huge output in the container to the probe's limit, the next probe unharmed", async () => {
    await sh(aliceSession, "head -c 8000000 /dev/zero | tr '\\0' A > /tmp/big");
    const { results, ms } = await batch(["cat /tmp/big", "echo second"]);
    expect(results).toEqual([{ output: "A".repeat(PROBE_OUTPUT_LIMIT) }, { output: "second\n" }]);
    expect(ms).toBeLessThan(PROBE_TIMEOUT_MS);
  }, 60_000);

  it("costs a probe whose forked child keeps the output open that probe alone, not the batch (R6)", async () => {
    const { results, ms } = await batch(["echo first", "sleep 61 & echo forked", "echo third"]);
    expect(ms).toBeLessThan(PROBE_TIMEOUT_MS + 3000);
    expect(results[0]).toEqual({ output: "first\n" });
    expect(results[2]).toEqual({ output: "third\n" });
    expect([
      { output: "forked\n" },
      { error: `sh -c sleep 61 & echo forked did not finish within ${PROBE_TIMEOUT_MS} ms` },
    ]).toContainEqual(results[1]);
    await eventually("the forked child killed", async () =>
      (await sh(aliceSession, "ps -o args | grep -c '^sleep 61'; true")).output.trim() === "0" ? true : undefined,
    );
  }, 60_000);

  it("keeps the output of a probe that exits 137 itself (only its time running out is a timeout), as one exec per probe does", async () => {
    const { results, ms } = await batch(["echo mine; exit 137", "echo third"]);
    expect(results).toEqual([{ output: "mine\n" }, { output: "third\n" }]);
    expect(ms).toBeLessThan(PROBE_TIMEOUT_MS);
  }, 60_000);

  it("runs at most one check and one waiting per session and step, however many presses at once", async () => {
    const presses = await Promise.all(
      Array.from({ length: 30 }, () => alice.api.grading.check({ sessionId: aliceSession, stepId: "container-address" })),
    );
    const runs = new Set(presses.map((p) => p.runId));
    expect(runs.size).toBeLessThanOrEqual(2);
    expect(await db().checkRun.count({ where: { sessionId: aliceSession } })).toBeLessThanOrEqual(2);
    // And every run ends (the check thread is not stuck by what came before).
    await eventually(
      "every run ended",
      async () =>
        (await db().checkRun.count({ where: { sessionId: aliceSession, status: { in: [...UNFINISHED_RUNS] } } })) === 0
          ? true
          : undefined,
      { timeoutMs: 60_000 },
    );
  }, 90_000);
});
