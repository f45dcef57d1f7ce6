// Terminal memory benchmark: the worker's memory per idle terminal whose output fits one screen.
// Opens N terminals through the gateway (a client each, a short command's output on its screen),
// types a key in each (every screen awake), then closes the clients (the shells stay, as when a
// learner closes the tab), and reads the worker's resident memory and V8 heap (its own /metrics:
// process_resident_memory_bytes, nodejs_heap_size_used_bytes; the median of several samples) at
// once (screens awake) and once idle screens have gone to sleep (worker/gateway/screen.ts).
//   npm run bench:terminal-memory [-- --terminals 200]
// The worker runs in its own process; its own embedded PostgreSQL (.data/bench). Table, then one JSON line.
import os from "node:os";
import { findLab } from "~/core/labs/catalog";
import { screenLimits } from "../worker/gateway/screen";
import { echoLatencies, gatewayPipe, waitFor, type Pipe } from "./pipes";
import { startBenchPlatform } from "./platform";
import { percentile, printTable } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const terminals = Number(arg("terminals", "200"));
const TARGET_KB = 100;

/** The worker's RSS and heap used (bytes), the median of `samples` reads 500 ms apart. */
async function workerMemory(port: number, samples = 7) {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < samples; i++) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1] ?? NaN);
    rss.push(value("process_resident_memory_bytes"));
    heap.push(value("nodejs_heap_size_used_bytes"));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { rss: percentile(rss, 50), heap: percentile(heap, 50) };
}

async function main() {
  const platform = await startBenchPlatform({ workerProcess: true });
  const { worker } = platform;
  const lab = findLab("network-modes")!;
  const perSession = ["host", ...lab.containers.map((c) => c.name)].filter((n) => n !== "hosted" && n !== "joined");
  const owner = "bench-user";
  const targets: { sessionId: string; terminal: string }[] = [];
  process.stderr.write(`provisioning ${Math.ceil(terminals / perSession.length)} sessions…\n`);
  while (targets.length < terminals) {
    const { sessionId } = await platform.session(lab.slug, owner);
    for (const terminal of perSession) if (targets.length < terminals) targets.push({ sessionId, terminal });
  }
  const rows: Record<string, string | number>[] = [];
  const stages: Record<string, { rss: number; heap: number }> = {};
  try {
    // One terminal opened and closed first: the gateway's one-time costs are not counted per terminal.
    const first = await gatewayPipe(platform.secret, worker.port, targets[0]!.sessionId, "host", owner);
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stages.before = await workerMemory(worker.port);
    const pipes: Pipe[] = [];
    for (const t of targets) {
      const pipe = await gatewayPipe(platform.secret, worker.port, t.sessionId, t.terminal, owner);
      const done = waitFor(pipe, (seen) => seen.includes("listed-ok"));
      pipe.write("ls -l /; echo listed-''ok\n"); // about 20 lines: one screen
      await done;
      pipes.push(pipe);
    }
    await Promise.all(pipes.map((pipe) => echoLatencies(pipe, 1))); // output on every screen: all awake
    const touched = performance.now();
    stages.open = await workerMemory(worker.port, 5);
    for (const pipe of pipes) pipe.close();
    stages.closed = await workerMemory(worker.port, 5);
    if (performance.now() - touched > screenLimits.idleMs) process.stderr.write("warning: some screens slept before 'closed'\n");
    const asleepAt = touched + screenLimits.idleMs + screenLimits.sweepEveryMs + 2000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, asleepAt - performance.now())));
    stages.asleep = await workerMemory(worker.port);
  } finally {
    await platform.stop();
  }
  const kb = (bytes: number) => Math.round(bytes / 1024);
  const per = (stage: "open" | "closed" | "asleep") => ({
    rssKB: kb((stages[stage]!.rss - stages.before!.rss) / terminals),
    heapKB: kb((stages[stage]!.heap - stages.before!.heap) / terminals),
  });
  const names = {
    before: "before",
    open: `${terminals} terminals, a client each`,
    closed: `${terminals} terminals, clients gone, screens awake`,
    asleep: `${terminals} terminals idle ${screenLimits.idleMs / 1000} s, screens asleep`,
  };
  for (const stage of ["before", "open", "closed", "asleep"] as const) {
    rows.push({
      stage: names[stage],
      "worker RSS MB": Math.round(stages[stage]!.rss / 2 ** 20),
      "heap used MB": Math.round(stages[stage]!.heap / 2 ** 20),
      "RSS per terminal KB": stage === "before" ? "-" : per(stage).rssKB,
      "heap per terminal KB": stage === "before" ? "-" : per(stage).heapKB,
    });
  }
  printTable(rows);
  const perTerminal = { withClient: per("open"), idleAwake: per("closed"), idle: per("asleep") };
  console.log(
    `per idle terminal (no client, screen asleep): RSS ${perTerminal.idle.rssKB} KB, heap ${perTerminal.idle.heapKB} KB (aim ≤ ${TARGET_KB} KB); ` +
      `awake: RSS ${perTerminal.idleAwake.rssKB} KB, heap ${perTerminal.idleAwake.heapKB} KB`,
  );
  console.log(
    JSON.stringify({
      benchmark: "terminal-memory",
      terminals,
      stages,
      perTerminalKB: perTerminal,
      targetKB: TARGET_KB,
      machine: `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
      loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
