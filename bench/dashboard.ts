// The class dashboard under load (issue 12): an instructor's live.class subscription, read over the
// real SSE transport from the real web (`next start`, its own process), follows `learners`
// simulated learners whose writes (activity, checks, needs-help, submissions, at a human rate)
// come from a load generator in another process (bench/dashboardLoad.ts). For each event: the
// time from its write to the first dashboard row that shows it. Baseline in the same run: a raw
// `LISTEN wireroom_session` connection's delay for the same events. CPU of the web process and of
// every PostgreSQL process (from /proc), in a window with the load alone and one with the load and
// the dashboard, so the dashboard's own cost is their difference.
//   flock /tmp/e2e.lock sh -c 'NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build && npm run bench:dashboard -- --learners 200 --seconds 60'
// --baseline-seconds N: the window without the dashboard (default: --seconds; 0 skips it).
// --profile: also sample the web's busy statements in PostgreSQL (for a slow run; costs PG CPU),
// and write the web's CPU profile to .data/bench-dashboard/cpu-profile when it stops.
// Prints tables, then one JSON line. Needs a production build (.next), no worker and no Docker.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { createDb } from "~/core/db";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres";
import { FIXTURE_LABS_DIR } from "../test/support/fixtureLabs";
import { notificationKind, wallClock, type LoadEvent, type LoadLine } from "./dashboardEvents";
import { delayOf, firstAfter, rowFacts, rowsIn, visible, type ReceivedRow } from "./dashboardMatch";
import { createClassWorld } from "./dashboardWorld";
import { sampleActivity } from "./pgActivity";
import { cpuBetween, sampleMachine, sampleTree } from "./procCpu";
import { percentile, printTable } from "./stats";
import { subscribeTrpc, type Subscription } from "./trpcSse";
import { freePort, signInGuest, startWeb } from "./webProcess";

process.env.LABS_DIR ??= FIXTURE_LABS_DIR;
const root = path.resolve(import.meta.dirname, "..");

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number (got ${process.argv[i + 1]})`);
  return value;
};
const learners = arg("learners", 200);
const seconds = arg("seconds", 60);
/** The window with the load and no dashboard (0: skip it, and state no dashboard cost). */
const baselineSeconds = arg("baseline-seconds", seconds);
/** Sample what the web's PostgreSQL connections run during the dashboard window, and print it (costs some PostgreSQL CPU). */
const profile = process.argv.includes("--profile");
const LAB = "docker-cli";
/** After the load stops, how long deliveries may still arrive (inside the CPU window). */
const GRACE_MS = 3_000;
const TARGET_P95_MS = 1_000;

const withAppName = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.toString();
};
/** A raw delay below this (the clocks' agreement between processes) counts as this in ratios. */
const RAW_FLOOR_MS = 0.1;
const ratio = (dashboardMs: number, rawMs: number) => round(dashboardMs / Math.max(rawMs, RAW_FLOOR_MS), 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The raw baseline: one LISTEN connection, every notification's arrival time by session and kind. */
async function rawListener(url: string) {
  const client = new pg.Client({ connectionString: withAppName(url, "bench-raw") });
  await client.connect();
  const arrivals = new Map<string, number[]>();
  client.on("notification", (n) => {
    const at = wallClock();
    const { sessionId, kind } = JSON.parse(n.payload ?? "{}") as { sessionId?: string; kind?: string };
    const key = `${sessionId}:${kind}`;
    arrivals.set(key, [...(arrivals.get(key) ?? []), at]);
  });
  await client.query("LISTEN wireroom_session");
  return { arrivals, close: () => client.end() };
}

/** The dashboard: live.class over SSE; every row received, by session, with its arrival time. */
function dashboard(baseUrl: string, cookie: string, classId: string) {
  const rows = new Map<string, ReceivedRow[]>();
  let messages = 0;
  let rowCount = 0;
  let onFirst!: (rowsInFirst: number) => void;
  const first = new Promise<number>((resolve) => (onFirst = resolve));
  const sub: Subscription = subscribeTrpc({
    baseUrl,
    path: "live.class",
    input: { classId },
    cookie,
    onData: ({ receivedAt, data }) => {
      const found = rowsIn(data);
      if (messages++ === 0) onFirst(found.length);
      rowCount += found.length;
      for (const { sessionId, row } of found)
        rows.set(sessionId, [...(rows.get(sessionId) ?? []), { receivedAt, facts: rowFacts(row) }]);
    },
  });
  const failed = sub.done.then(() => {
    throw new Error("live.class ended before the benchmark did");
  });
  const opened = Date.now();
  return {
    rows,
    /** The first message (the whole table): its row count and how long it took. */
    async ready() {
      const count = await Promise.race([
        first,
        failed,
        sleep(30_000).then(() => Promise.reject(new Error("live.class sent nothing within 30 s"))),
      ]);
      return { count, ms: Date.now() - opened };
    },
    stats: () => ({ messages, rows: rowCount }),
    close: () => {
      failed.catch(() => {});
      sub.close();
    },
  };
}

/** PostgreSQL's processes: the postmaster (its pid in the data folder) and its children. */
function pgProbe(dataDir: string, db: pg.Client) {
  const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const labels = new Map<number, string>();
  const learn = async () => {
    const { rows } = await db.query<{ pid: number; application_name: string; backend_type: string }>(
      "SELECT pid, application_name, backend_type FROM pg_stat_activity",
    );
    for (const r of rows) {
      const label =
        r.backend_type !== "client backend"
          ? "background"
          : r.application_name === "bench-load"
            ? "load generator"
            : r.application_name.startsWith("bench-")
              ? "benchmark probes"
              : "web";
      labels.set(r.pid, label);
    }
  };
  return { postmaster, labels, learn };
}

/** Runs the load generator for `seconds`; CPU is sampled when it starts and GRACE_MS after it ends. */
async function runLoad(options: { url: string; classId: string; seconds: number; sample: () => Promise<unknown> }) {
  const child = spawn(
    path.join(root, "node_modules/.bin/tsx"),
    ["bench/dashboardLoad.ts", "--class", options.classId, "--seconds", String(options.seconds)],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: withAppName(options.url, "bench-load") },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const events: LoadEvent[] = [];
  let started = 0;
  let finished = 0;
  const before: Promise<unknown>[] = [];
  for await (const text of createInterface({ input: child.stdout })) {
    const line = JSON.parse(text) as LoadLine;
    if ("event" in line) events.push(line.event);
    else if ("started" in line) {
      started = line.started;
      before.push(options.sample());
    } else {
      finished = line.finished;
      break; // it waits, connected, for stdin to close
    }
  }
  if (!finished) throw new Error(`the load generator exited with ${await exited} before it finished`);
  await Promise.all(before);
  await sleep(Math.max(0, finished + GRACE_MS - Date.now()));
  await options.sample();
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return { events, windowSeconds: (Date.now() - started) / 1000 };
}

function latency(values: number[], missed: number) {
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(Math.max(...values)),
    missed,
  };
}

async function main() {
  const dataDir = path.join(root, ".data", "bench-dashboard", "postgres");
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), fresh: true });
  const cleanups: (() => Promise<unknown> | void)[] = [() => database.stop()];
  try {
    execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: "pipe",
    });
    const db = createDb(withAppName(database.url, "bench-setup"));
    cleanups.unshift(() => db.$disconnect());
    const profileDir = path.join(root, ".data", "bench-dashboard", "cpu-profile");
    const web = await startWeb(database.url, {
      LABS_DIR: process.env.LABS_DIR!,
      // The web's own profile, written when it stops (open it in Chrome's DevTools, Performance).
      ...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
    });
    cleanups.unshift(() => web.stop());
    const instructor = await signInGuest(web.baseUrl);
    const world = await createClassWorld(db, { instructorId: instructor.userId, learners, labSlug: LAB });

    const probeDb = new pg.Client({ connectionString: withAppName(database.url, "bench-probe") });
    await probeDb.connect();
    cleanups.unshift(() => probeDb.end());
    const pgProc = pgProbe(dataDir, probeDb);
    const raw = await rawListener(database.url);
    cleanups.unshift(() => raw.close());

    // Warm-up (not measured): the route compiled and its connections opened, the first table read.
    const warm = dashboard(web.baseUrl, instructor.cookie, world.classId);
    const first = await warm.ready();
    warm.close();
    if (first.count < learners)
      throw new Error(`live.class's first message had ${first.count} rows, not one per learner (${learners})`);

    const windows: { name: string; seconds: number; web: number; pg: number; pgBy: Map<string, number>; machineBusy: number }[] =
      [];
    const measure = async (name: string, loadSeconds: number) => {
      const samples: { web: Map<number, number>; pg: Map<number, number>; machine: ReturnType<typeof sampleMachine> }[] = [];
      const sample = async () => {
        samples.push({ web: sampleTree(web.pid), pg: sampleTree(pgProc.postmaster), machine: sampleMachine() });
        await pgProc.learn();
      };
      const load = await runLoad({ url: database.url, classId: world.classId, seconds: loadSeconds, sample });
      const webCpu = cpuBetween(samples[0]!.web, samples[1]!.web);
      const pgCpu = cpuBetween(samples[0]!.pg, samples[1]!.pg);
      const pgBy = new Map<string, number>();
      for (const [pid, s] of pgCpu.perPid) {
        const label = pid === pgProc.postmaster ? "postmaster + ended processes" : (pgProc.labels.get(pid) ?? "other");
        pgBy.set(label, (pgBy.get(label) ?? 0) + s);
      }
      // The machine is shared: how busy it was (all its cores, everyone's processes) says how loud the figures are.
      const machineBusy =
        (samples[1]!.machine.busy - samples[0]!.machine.busy) / (samples[1]!.machine.total - samples[0]!.machine.total);
      windows.push({ name, seconds: load.windowSeconds, web: webCpu.total, pg: pgCpu.total, pgBy, machineBusy });
      return load.events;
    };

    if (baselineSeconds > 0) await measure("load, no dashboard", baselineSeconds);
    const live = dashboard(web.baseUrl, instructor.cookie, world.classId);
    cleanups.unshift(() => live.close());
    const table = await live.ready();
    const profileDb = new pg.Client({ connectionString: withAppName(database.url, "bench-profile") });
    if (profile) await profileDb.connect();
    const activity = profile ? sampleActivity(profileDb, { excludeAppPrefix: "bench-", everyMs: 20 }) : undefined;
    const events = await measure("load + dashboard", seconds);
    live.close();
    const busy = await activity?.stop();
    if (profile) await profileDb.end();

    const sampleFacts = [...live.rows.values()][0]?.[0]?.facts;
    const measured = events.filter((e) => e.expect && sampleFacts && visible(e.expect, sampleFacts));
    const byKind = new Map<string, { dash: number[]; missed: number; raw: number[]; rawMissed: number }>();
    const all = { dash: [] as number[], missed: 0, raw: [] as number[], rawMissed: 0 };
    for (const e of measured) {
      const k = byKind.get(e.kind) ?? { dash: [], missed: 0, raw: [], rawMissed: 0 };
      byKind.set(e.kind, k);
      const d = delayOf(e, live.rows.get(e.sessionId));
      const r = firstAfter(e, raw.arrivals.get(`${e.sessionId}:${notificationKind[e.kind]}`));
      for (const bucket of [k, all]) {
        if (d === null) bucket.missed++;
        else bucket.dash.push(d);
        if (r === null) bucket.rawMissed++;
        else bucket.raw.push(r);
      }
    }
    const dash = latency(all.dash, all.missed);
    const rawL = latency(all.raw, all.rawMissed);
    const commitMs = events.map((e) => e.committedAt - e.t0);

    console.log(
      `\nClass dashboard: ${learners} learners, ${seconds} s, ${events.length} events (${measured.length} visible on a row), lab ${LAB}`,
    );
    console.log(`Delay from each event's commit to its arrival (ms); first table of ${table.count} rows in ${table.ms} ms\n`);
    printTable([
      { path: "dashboard: live.class over SSE (all events)", ...dash },
      { path: "raw: LISTEN wireroom_session (baseline)", ...rawL },
      ...[...byKind].map(([kind, k]) => ({ path: `  dashboard, ${kind}`, ...latency(k.dash, k.missed) })),
      ...[...byKind].map(([kind, k]) => ({ path: `  raw, ${kind}`, ...latency(k.raw, k.rawMissed) })),
    ]);
    console.log(
      `\ndashboard / raw: p50 ×${ratio(dash.p50, rawL.p50)}, p95 ×${ratio(dash.p95, rawL.p95)} (raw floored at ${RAW_FLOOR_MS} ms); the dashboard adds p50 ${round(dash.p50 - rawL.p50)} ms, p95 ${round(dash.p95 - rawL.p95)} ms`,
    );
    const stream = live.stats();
    console.log(
      `\nlive.class sent ${stream.messages} messages with ${stream.rows} rows (${round(stream.rows / Math.max(1, events.length), 2)} rows per event); commit p50 ${round(percentile(commitMs, 50))} ms\n`,
    );
    const cpuRow = (w: (typeof windows)[number]) => ({
      window: w.name,
      seconds: round(w.seconds),
      "web CPU s": round(w.web, 2),
      "web % core": round((w.web / w.seconds) * 100),
      "PostgreSQL CPU s": round(w.pg, 2),
      "PostgreSQL % core": round((w.pg / w.seconds) * 100),
      "PG: web conns s": round(w.pgBy.get("web") ?? 0, 2),
      "PG: load gen s": round(w.pgBy.get("load generator") ?? 0, 2),
      "PG: other s": round(w.pg - (w.pgBy.get("web") ?? 0) - (w.pgBy.get("load generator") ?? 0), 2),
      "machine busy %": round(w.machineBusy * 100),
    });
    printTable(windows.map(cpuRow));
    const [alone, withDash] = windows.length === 2 ? windows : [undefined, windows[0]!];
    const perSecond = (w: (typeof windows)[number] | undefined, key: "web" | "pg") => (w ? w[key] / w.seconds : 0);
    const cost = alone
      ? {
          webPercentCore: round((perSecond(withDash, "web") - perSecond(alone, "web")) * 100),
          pgPercentCore: round((perSecond(withDash, "pg") - perSecond(alone, "pg")) * 100),
        }
      : null;
    if (cost)
      console.log(
        `\nThe dashboard's own cost (with minus without): web ${cost.webPercentCore} % of a core, PostgreSQL ${cost.pgPercentCore} % of a core`,
      );
    if (busy) {
      console.log(`\nThe web's busiest statements in PostgreSQL (${busy.samples} samples, every ${busy.everyMs} ms):\n`);
      printTable(
        busy.top
          .slice(0, 10)
          .map(([query, n]) => ({ "busy s": round((n * busy.everyMs) / 1000, 2), statement: query.slice(0, 200) })),
      );
    }
    const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
    const cpuJson = (w: (typeof windows)[number]) => ({
      seconds: round(w.seconds),
      webCpuSeconds: round(w.web, 2),
      webPercentCore: round((w.web / w.seconds) * 100),
      pgCpuSeconds: round(w.pg, 2),
      pgPercentCore: round((w.pg / w.seconds) * 100),
      machineBusyPercent: round(w.machineBusy * 100),
    });
    console.log(
      JSON.stringify({
        benchmark: "class-dashboard",
        learners,
        seconds,
        events: events.length,
        unit: "ms",
        dashboard: dash,
        raw: rawL,
        ratioP50: ratio(dash.p50, rawL.p50),
        ratioP95: ratio(dash.p95, rawL.p95),
        targetP95: TARGET_P95_MS,
        meetsTarget: dash.p95 <= TARGET_P95_MS && dash.missed === 0,
        cpu: { loadOnly: alone ? cpuJson(alone) : null, withDashboard: cpuJson(withDash!), dashboardCost: cost },
        machine,
      }),
    );
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch((error: unknown) => console.error(error));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
