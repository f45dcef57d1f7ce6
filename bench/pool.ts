// Click to prompt (issue 14): tRPC session.start through the web (next start, its own process) →
// READY (the returned view, or live.session) → session.terminalToken → socket.io terminal → the
// shell's first prompt, for a start from the lab's pool of ready sessions and a cold one, against the
// raw CLI path (`docker network create`, `docker run -d` of the lab's containers, `docker exec -i … sh
// -i` to its prompt: bench/class/rawCli.ts), interleaved in one run, for a 1-container and a
// 3-container lab. The worker runs in its own process with SESSION_POOL; a cold start uses the same
// lab under another slug that has no pool ("<slug>-cold"), so both paths start identical containers.
// Before each timed start the platform is quiet (pools full, nothing starting or stopping), so a
// refill or a teardown never runs beside a measurement.
//   npm run bench:pool [-- --iterations 10]
// Prints a table, then one JSON line.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findLab } from "~/core/labs/catalog";
import type { Lab } from "~/core/labs/schema";
import type { SessionView } from "~/core/sessions/sessionView";
import { LIVE, STARTING, Status } from "~/protocol/sessionStatus";
import { FIXTURE_LABS_DIR } from "../test/support/fixtureLabs";
import { signUp, mutate, type Browser } from "./class/http";
import { openSessionPage } from "./class/live";
import { rawCliStart } from "./class/rawCli";
import { openTab } from "./class/terminal";
import { startBenchPlatform } from "./platform";
import { printTable, summary } from "./stats";
import { startWeb } from "./webProcess";

const iterations = Number(process.argv[process.argv.indexOf("--iterations") + 1] || 10);
const POOL_SIZE = 2;
const TIMEOUT_MS = 60_000;
const TARGETS = { coldRatio: 1.2, poolMs: 150 };

// The labs: bridge-basics (busybox1 on the default bridge) and "three" (joined's busybox1 and
// busybox2 sharing one namespace, plus a closed container on none), each also as "<slug>-cold".
const labsDir = mkdtempSync(path.join(os.tmpdir(), "wireroom-bench-pool-"));
cpSync(FIXTURE_LABS_DIR, labsDir, { recursive: true });
function copyLab(from: string, to: string, edit: (yaml: string) => string = (y) => y) {
  const yaml = readFileSync(path.join(labsDir, from, "lab.yaml"), "utf8");
  if (!yaml.startsWith(`slug: ${from}\n`)) throw new Error(`${from}/lab.yaml does not start with its slug: update bench/pool.ts`);
  cpSync(path.join(labsDir, from), path.join(labsDir, to), { recursive: true });
  writeFileSync(path.join(labsDir, to, "lab.yaml"), edit(yaml.replace(`slug: ${from}\n`, `slug: ${to}\n`)));
}
const addClosed = (yaml: string) => {
  const line = '  - { name: busybox2, network: "container:busybox1" }\n';
  if (!yaml.includes(line)) throw new Error("joined/lab.yaml changed its containers: update bench/pool.ts");
  return yaml.replace(line, `${line}  - { name: closed, network: none }\n`);
};
copyLab("joined", "three", addClosed);
copyLab("three", "three-cold");
copyLab("bridge-basics", "bridge-basics-cold");
process.env.LABS_DIR = labsDir;

const LABS = ["bridge-basics", "three"] as const;
const labOf = (slug: string): Lab => {
  const lab = findLab(slug);
  if (!lab) throw new Error(`lab ${slug} did not load from ${labsDir}`);
  return lab;
};

const caps = { MAX_ACTIVE_SESSIONS: "1000", MAX_ACTIVE_CONTAINERS: "10000" };
// The worker child and the web inherit this process's environment.
Object.assign(process.env, {
  SESSION_POOL: LABS.map((slug) => `${slug}=${POOL_SIZE}`).join(","),
  WORKER_HEARTBEAT_SECONDS: "1",
  ...caps,
});
const platform = await startBenchPlatform({ workerProcess: true });
const web = await startWeb(platform.url, {
  TERMINAL_TOKEN_SECRET: platform.secret,
  WORKER_PUBLIC_URL: `http://127.0.0.1:${platform.worker.port}`,
  TRUSTED_CLIENT_IP_HEADER: "x-real-ip",
  LABS_DIR: labsDir,
  ...caps,
});
const { db } = platform;

/** Pools full and READY, nothing else starting or stopping (bounded). */
async function quiet() {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [busy, ready] = await Promise.all([
      db.labSession.count({ where: { status: { in: [...STARTING, Status.stopping] } } }),
      db.labSession.groupBy({
        by: ["labSlug"],
        where: { pooledAt: { not: null }, status: { in: [...LIVE] } },
        _count: { _all: true },
      }),
    ]);
    const full = LABS.every((slug) => ready.find((r) => r.labSlug === slug)?._count._all === POOL_SIZE);
    if (busy === 0 && full) return;
    if (Date.now() > deadline)
      throw new Error(`the platform did not settle within 120 s (busy ${busy}, pools ${JSON.stringify(ready)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let learners = 0;
const misses: Record<string, number> = {};

/**
 * Where a click to prompt spends its time (ms): start answered, READY seen, terminal joined (token,
 * socket, the gateway's shell, snapshot), prompt; and, measured after, a token's round trip alone.
 */
type Phases = { start: number; ready: number; joined: number; prompt: number; token: number };

/** One click to prompt through the platform; returns ms, its phases and whether the start was READY at once (a pool claim). */
async function platformStart(
  slug: string,
): Promise<{ ms: number; phases: Phases; claimed: boolean; browser: Browser; sessionId: string }> {
  const browser = await signUp(web.baseUrl, ++learners);
  const lab = labOf(slug);
  const started = performance.now();
  const view = await mutate<SessionView>(browser, "session.start", { labSlug: slug });
  const answered = performance.now();
  const claimed = view.status === Status.ready;
  if (!claimed) {
    const page = openSessionPage(browser, view.id);
    try {
      await page.until("READY", (event) => event.type === "session" && event.session.status === Status.ready, TIMEOUT_MS);
    } finally {
      page.close();
    }
  }
  const ready = performance.now();
  const tab = await openTab(browser, view.id, lab.defaultTerminal ?? lab.containers[0]!.name, TIMEOUT_MS);
  const joined = performance.now(); // the snapshot arrived (the prompt may have come with it)
  const prompt = await Promise.race([
    tab.prompt,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no prompt from ${slug} within 60 s`)), TIMEOUT_MS).unref(),
    ),
  ]);
  tab.close();
  // After the timed path: how much of the join was the token's round trip (the rest: socket, gateway, shell).
  const tokenStarted = performance.now();
  await mutate(browser, "session.terminalToken", {
    sessionId: view.id,
    terminal: lab.defaultTerminal ?? lab.containers[0]!.name,
  });
  const token = performance.now() - tokenStarted;
  const phases = {
    start: answered - started,
    ready: ready - answered,
    joined: joined - ready,
    prompt: Math.max(0, prompt - joined),
    token,
  };
  return { ms: prompt - started, phases, claimed, browser, sessionId: view.id };
}

async function stop(run: { browser: Browser; sessionId: string }) {
  await mutate(run.browser, "session.stop", { sessionId: run.sessionId });
}

const times: Record<string, number[]> = {};
const phaseTimes: Record<string, Phases[]> = {};
const record = (key: string, ms: number) => (times[key] ??= []).push(ms);
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const loadBefore = load();
const started = Date.now();

try {
  for (let i = 0; i < iterations; i++) {
    for (const slug of LABS) {
      // Rotate the order, so no path always runs first (or right after another).
      const paths = ["raw", "cold", "pool"] as const;
      for (let k = 0; k < paths.length; k++) {
        const which = paths[(i + k) % paths.length]!;
        await quiet();
        if (which === "raw") {
          record(`${slug} raw`, await rawCliStart(labOf(slug)));
          continue;
        }
        const run = await platformStart(which === "cold" ? `${slug}-cold` : slug);
        if (which === "pool" && !run.claimed) misses[slug] = (misses[slug] ?? 0) + 1;
        if (which === "cold" && run.claimed) throw new Error(`a cold start of ${slug}-cold was READY at once: it has no pool`);
        record(`${slug} ${which}`, run.ms);
        (phaseTimes[`${slug} ${which}`] ??= []).push(run.phases);
        await stop(run);
      }
    }
  }
  await quiet();
} finally {
  await web.stop();
  // The worker first (no refill after this), then whatever its sessions left on the engine (the pools').
  const ids = (await db.labSession.findMany({ select: { id: true } })).map((row) => row.id);
  await platform.worker.stop();
  for (const id of ids) await platform.provisioner.teardown(id);
  await platform.stop();
  rmSync(labsDir, { recursive: true, force: true });
}

/** The median of each phase, "-" for the raw path. */
function phasesOf(key: string): string {
  const list = phaseTimes[key];
  if (!list?.length) return "-";
  const keys = ["start", "ready", "joined", "prompt", "token"] as const;
  const [start, ready, joined, prompt, token] = keys.map((k) => Math.round(summary(list.map((p) => p[k])).p50));
  return `${start} / ${ready} / ${joined} / ${prompt} (${token})`;
}

const rows = LABS.flatMap((slug) => {
  const raw = summary(times[`${slug} raw`]!);
  const containers = labOf(slug).containers.length;
  return (["raw", "cold", "pool"] as const).map((which) => {
    const s = summary(times[`${slug} ${which}`]!);
    const target = which === "cold" ? `≤ ${TARGETS.coldRatio}× raw` : which === "pool" ? `≤ ${TARGETS.poolMs} ms` : "";
    const met = which === "cold" ? s.p50 <= TARGETS.coldRatio * raw.p50 : which === "pool" ? s.p50 <= TARGETS.poolMs : undefined;
    return {
      lab: `${slug} (${containers})`,
      path: which,
      n: times[`${slug} ${which}`]!.length,
      "p50 ms": s.p50,
      "p95 ms": s.p95,
      "p50 / raw": (s.p50 / raw.p50).toFixed(2),
      "p95 / raw": (s.p95 / raw.p95).toFixed(2),
      target,
      "p50 met": met === undefined ? "" : met ? "yes" : "NO",
      "p50 of start / ready / join / prompt ms (token alone)": phasesOf(`${slug} ${which}`),
    };
  });
});
console.log(
  `\nClick to prompt: tRPC start → READY → token → socket.io → first prompt byte; ${iterations} per path, interleaved. ` +
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}); load average ${loadBefore} before, ${load()} after; ${Math.round((Date.now() - started) / 1000)} s.`,
);
printTable(rows);
if (Object.keys(misses).length)
  console.log(`pool starts that found no ready pooled session (timed as they came): ${JSON.stringify(misses)}`);
console.log(
  JSON.stringify({
    bench: "pool",
    iterations,
    cores: os.cpus().length,
    loadBefore,
    loadAfter: load(),
    poolMisses: misses,
    rows: rows.map((r) => ({ ...r })),
  }),
);
