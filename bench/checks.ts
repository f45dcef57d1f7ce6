// Check verdict latency: pressing Check (requestCheck, what grading.check calls: the run and its job
// written together) to the run's outcome pushed (NOTIFY wireroom_session → the run read finished),
// for 1 session and for N sessions pressing at once, through the worker as its own process, in each
// mode of the worker: batched probes on check threads (the default), one exec per probe on check
// threads, and one exec per probe on the main thread (how checks ran before issue 14). Baseline in
// the same run: the step's probes exec'd straight from this process (one `docker exec` per probe,
// all at once; and one batch per container), no queue, no database.
//   npm run bench:checks [-- --sessions 20 --rounds 10 --modes batched,unbatched,before]
// Prints a table, then one JSON line.
import os from "node:os";
import { PrismaPg } from "@prisma/adapter-pg";
import { Client } from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import { probesOf } from "~/core/grading/batchProbes";
import { requestCheck } from "~/core/grading/requestCheck";
import { startBoss } from "~/core/jobs/boss";
import { SESSION_CHANNEL } from "~/core/push/sessionEvents";
import { isFinished, type RunStatus as Status } from "~/protocol/checkRun";
import { startBenchPlatform } from "./platform";
import { percentile, printTable } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const sessionsCount = Number(arg("sessions", "20"));
const rounds = Number(arg("rounds", "10"));
const STEP = "same-identity";
const OWNER = "bench-user";

const MODES = {
  batched: { CHECK_BATCH: "on" }, // CHECK_THREADS: its default (cores - 1, at least 1)
  unbatched: { CHECK_BATCH: "off" },
  before: { CHECK_BATCH: "off", CHECK_THREADS: "0" },
} satisfies Record<string, Record<string, string>>;
type Mode = keyof typeof MODES;
const modes = arg("modes", "batched,unbatched,before").split(",") as Mode[];
for (const mode of modes) if (!(mode in MODES)) throw new Error(`--modes takes ${Object.keys(MODES).join(", ")}; got ${mode}`);

const stats = (values: number[]) => {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
  };
};
type Stats = ReturnType<typeof stats>;

/** `count` sessions each doing `work` at once, `rounds` times; every duration (ms). */
async function timed<T>(items: T[], work: (item: T) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      items.map(async (item) => {
        const t0 = performance.now();
        await work(item);
        times.push(performance.now() - t0);
      }),
    );
  }
  return times;
}

async function measureMode(mode: Mode) {
  const platform = await startBenchPlatform({ workerProcess: true, workerEnv: MODES[mode] });
  const boss = await startBoss(platform.url, { worker: false });
  const listener = new Client({ connectionString: platform.url });
  // The presses' own pool: N presses at once, each a transaction, are not held up by the bench's
  // default pool of 10 connections (a web process serves them from many requests).
  const pressDb = new PrismaClient({ adapter: new PrismaPg({ connectionString: platform.url, max: sessionsCount + 5 }) });
  const outcomes: Record<string, number> = {};
  try {
    const sessions = await Promise.all(Array.from({ length: sessionsCount }, () => platform.session("joined", OWNER)));
    // The step's work, done: its checks pass (each verdict reads every probe).
    for (const { sessionId } of sessions) {
      await platform.provisioner.run(sessionId, "busybox2", [
        "sh",
        "-c",
        "ifconfig eth0 | sed -n 's/.*HWaddr //p' > /tmp/mac; ifconfig eth0 | sed -n 's/.*inet addr:\\([0-9.]*\\).*/\\1/p' > /tmp/ip",
      ]);
    }

    // The run's outcome as the page learns it: a notification names the run, one read says it finished.
    const waiting = new Map<string, (status: Status) => void>();
    const settleIfFinished = async (runId: string) => {
      const run = await pressDb.checkRun.findUnique({ where: { id: runId }, select: { status: true } });
      if (run && isFinished(run.status as Status)) waiting.get(runId)?.(run.status as Status);
    };
    await listener.connect();
    listener.on("notification", (n) => {
      const change = JSON.parse(n.payload ?? "{}") as { kind?: string; id?: string };
      if (change.kind === "run" && change.id && waiting.has(change.id)) void settleIfFinished(change.id);
    });
    await listener.query(`LISTEN ${SESSION_CHANNEL}`);

    const press = async ({ sessionId }: { sessionId: string }) => {
      let runId: string;
      try {
        ({ runId } = await requestCheck({ db: pressDb, boss, userId: OWNER, sessionId, stepId: STEP }));
      } catch (error) {
        console.error(`a press failed: ${(error as Error).message.split("\n")[0]}`);
        outcomes["press failed"] = (outcomes["press failed"] ?? 0) + 1;
        return;
      }
      const status = await new Promise<Status>((resolve) => {
        waiting.set(runId, resolve);
        void settleIfFinished(runId); // finished before the listener heard of it
      });
      waiting.delete(runId);
      outcomes[status] = (outcomes[status] ?? 0) + 1;
    };
    // The check thread starts at its first check: not measured.
    await press(sessions[0]!);
    /** Where a run's time went, from its row: waiting for a worker to take its job, then running. */
    const phases = async (since: Date) => {
      const runs = await platform.db.checkRun.findMany({ where: { createdAt: { gte: since } } });
      const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : NaN);
      return {
        queued: stats(runs.map((r) => ms(r.createdAt, r.startedAt))),
        running: stats(runs.map((r) => ms(r.startedAt, r.finishedAt))),
      };
    };
    let since = new Date();
    const one = await timed([sessions[0]!], press);
    const onePhases = await phases(since);
    since = new Date();
    const many = await timed(sessions, press);
    const manyPhases = await phases(since);

    const probes = sessions[0]!.lab.steps.find((s) => s.id === STEP)!.checks.flatMap((c) => probesOf(c, sessions[0]!.params));
    const raw = (list: typeof sessions) =>
      timed(list, async ({ sessionId }) => {
        await Promise.all(probes.map((p) => platform.provisioner.run(sessionId, p.container, ["sh", "-c", p.command])));
      });
    const byContainer = new Map<string, string[]>();
    for (const p of probes) byContainer.set(p.container, [...new Set([...(byContainer.get(p.container) ?? []), p.command])]);
    const rawBatched = (list: typeof sessions) =>
      timed(list, async ({ sessionId }) => {
        await Promise.all(
          [...byContainer].map(([container, commands]) =>
            platform.provisioner.runProbes(sessionId, container, commands, { timeoutMs: 5_000, outputLimit: 4096 }),
          ),
        );
      });
    return {
      one: stats(one),
      many: stats(many),
      phases: { one: onePhases, many: manyPhases },
      outcomes,
      raw: { one: stats(await raw([sessions[0]!])), many: stats(await raw(sessions)) },
      rawBatched: { one: stats(await rawBatched([sessions[0]!])), many: stats(await rawBatched(sessions)) },
      probes: probes.length,
      containers: byContainer.size,
    };
  } finally {
    await listener.end().catch(() => undefined);
    await pressDb.$disconnect();
    await boss.stop({ graceful: false });
    await platform.stop();
  }
}

async function main() {
  const loadBefore = os.loadavg();
  const results: Partial<Record<Mode, Awaited<ReturnType<typeof measureMode>>>> = {};
  for (const mode of modes) {
    results[mode] = await measureMode(mode);
    console.log(
      `${mode}: ${JSON.stringify(results[mode])} (load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")})`,
    );
  }
  const loadAfter = os.loadavg();

  const rows: Record<string, string | number>[] = [];
  const row = (path: string, s: Stats, raw: Stats) => ({ path, ...s, "× raw p50": Math.round((s.p50 / raw.p50) * 10) / 10 });
  const first = results[modes[0]!]!;
  for (const mode of modes) {
    const r = results[mode]!;
    rows.push(row(`Check → pushed outcome, ${mode}, 1 session`, r.one, first.raw.one));
    rows.push(row(`Check → pushed outcome, ${mode}, ${sessionsCount} at once`, r.many, first.raw.many));
  }
  printTable(rows);
  console.log();
  rows.length = 0;
  rows.push(
    ...modes.flatMap((mode) => {
      const { phases } = results[mode]!;
      return [
        { mode, "queued p50 (job taken)": phases.one.queued.p50, "running p50 (checks + writes)": phases.one.running.p50 },
        {
          mode: `${mode}, ${sessionsCount} at once`,
          "queued p50 (job taken)": phases.many.queued.p50,
          "running p50 (checks + writes)": phases.many.running.p50,
        },
      ];
    }),
  );
  printTable(rows);
  console.log();
  rows.length = 0;
  rows.push(row("raw: one docker exec per probe from here, 1 session", first.raw.one, first.raw.one));
  rows.push(row(`raw: one docker exec per probe from here, ${sessionsCount} at once`, first.raw.many, first.raw.many));
  rows.push(row("raw: one batch per container from here, 1 session", first.rawBatched.one, first.raw.one));
  rows.push(row(`raw: one batch per container from here, ${sessionsCount} at once`, first.rawBatched.many, first.raw.many));
  printTable(rows);
  const b = results.batched;
  const targets = b && {
    oneP95Ms: b.one.p95,
    oneP95Met: b.one.p95 <= 300,
    manyP95Ms: b.many.p95,
    manyP95Met: b.many.p95 <= 1000,
  };
  if (targets)
    console.log(`targets: p95 ≤ 300 ms for 1 session: ${b.one.p95} ms; p95 ≤ 1 s for ${sessionsCount}: ${b.many.p95} ms`);
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
  const load = (l: number[]) => l.map((x) => Math.round(x * 100) / 100);
  console.log(
    JSON.stringify({
      benchmark: "check-verdict",
      sessions: sessionsCount,
      rounds,
      step: STEP,
      unit: "ms",
      modes: results,
      targets,
      machine,
      loadAverage: { before: load(loadBefore), after: load(loadAfter) },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
