// Terminal benchmark: keystroke echo latency (p50/p95/p99) with 1, 20, 50 and 200 terminals typing at
// once, through the gateway (socket.io + shared terminal + headless screen) against raw dockerode
// exec streams into the same containers, interleaved in one run (rounds alternate the two paths);
// output throughput at 1 terminal (20 MB without newlines, interleaved repetitions); the CPU the
// worker and dockerd (with containerd) used in each window; the time a late joiner waits for the
// screen of a terminal with a long scrollback.
//   npm run bench:terminal [-- --sizes 1,20,50,200 --echoes 30 --rounds 3 --mb 20 --profile DIR]
// The worker runs in its own process (the load generator is this one); `--profile DIR` runs it with
// `node --cpu-prof` and writes its profile there (read it with bench/cpuProfile.ts).
// Starts its own embedded PostgreSQL (.data/bench). Prints a table, then one JSON line.
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { findLab } from "~/core/labs/catalog";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { echoLatencies, gatewayPipe, rawPipe, waitFor, type Pipe } from "./pipes";
import { startBenchPlatform } from "./platform";
import { cpuBetween, sampleTree } from "./procCpu";
import { engineCpuPid } from "./engineCpu";
import { percentile, printTable, summary } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg("sizes", "1,20,50,200").split(",").map(Number);
const echoes = Number(arg("echoes", "30"));
const rounds = Number(arg("rounds", "3"));
const throughputMB = Number(arg("mb", "20"));
const profileDir = arg("profile", "");
const PATHS = ["raw dockerode exec", "gateway"] as const;
type PathName = (typeof PATHS)[number];

/** Each pipe prints `bytes` of output without newlines; returns the aggregate MB/s. */
async function throughput(pipes: Pipe[], bytes: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    pipes.map((pipe, i) => {
      const marker = `done-${i}-${randomUUID().slice(0, 6)}`;
      const done = waitFor(pipe, (seen) => seen.includes(`${marker}\r\n`));
      pipe.write(`cat /dev/zero | head -c ${bytes} | tr '\\0' a; echo; echo ${marker.replace(/-/g, "-''")}\n`);
      return done;
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return (pipes.length * bytes) / 1e6 / seconds;
}

/** CPU (% of one core) of the worker and of dockerd (+ containerd) while `fn` runs. */
async function measuringCpu<T>(workerPid: number, fn: () => Promise<T>) {
  const dockerd = engineCpuPid();
  const before = { worker: sampleTree(workerPid), engine: dockerd ? sampleTree(dockerd) : new Map<number, number>() };
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const after = { worker: sampleTree(workerPid), engine: dockerd ? sampleTree(dockerd) : new Map<number, number>() };
  const pct = (s: number) => Math.round((s / seconds) * 100);
  return {
    value,
    seconds,
    cpu: {
      worker: pct(cpuBetween(before.worker, after.worker).total),
      dockerd: pct(cpuBetween(before.engine, after.engine).total),
    },
  };
}

/** Waits (up to 60 s) until the worker has digested the provisioning (its engine events): under 10% CPU for 1 s. */
async function workerSettled(workerPid: number) {
  for (let i = 0; i < 60; i++) {
    const { cpu } = await measuringCpu(workerPid, () => new Promise((resolve) => setTimeout(resolve, 1000)));
    if (cpu.worker < 10) return;
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const latencyFigures = (samples: number[]) => ({
  p50: round2(percentile(samples, 50)),
  p95: round2(percentile(samples, 95)),
  p99: round2(percentile(samples, 99)),
  n: samples.length,
});

async function main() {
  const platform = await startBenchPlatform({
    workerProcess: true,
    ...(profileDir ? { workerEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profileDir)}` } } : {}),
  });
  const secret = platform.secret;
  const { worker, provisioner } = platform;
  const workerPid = worker.pid!;
  const lab = findLab("network-modes")!;
  const terminalsPerSession = ["host", ...lab.containers.map((c) => c.name)].filter((n) => n !== "hosted" && n !== "joined");
  const owner = "bench-user";
  const maxTerminals = Math.max(...sizes);
  const targets: { sessionId: string; terminal: string }[] = [];
  process.stderr.write(`provisioning ${Math.ceil(maxTerminals / terminalsPerSession.length)} sessions…\n`);
  while (targets.length < maxTerminals) {
    const { sessionId } = await platform.session(lab.slug, owner);
    for (const terminal of terminalsPerSession) if (targets.length < maxTerminals) targets.push({ sessionId, terminal });
  }

  await workerSettled(workerPid);
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const n of sizes) {
      const chosen = targets.slice(0, n);
      const pipes: Record<PathName, Pipe[]> = {
        "raw dockerode exec": await Promise.all(chosen.map((t) => rawPipe(provisioner, t.sessionId, t.terminal))),
        gateway: await Promise.all(chosen.map((t) => gatewayPipe(secret, worker.port, t.sessionId, t.terminal, owner))),
      };
      for (const p of PATHS) await Promise.all(pipes[p].map((pipe) => echoLatencies(pipe, 3))); // warm-up
      const samples: Record<PathName, number[]> = { "raw dockerode exec": [], gateway: [] };
      const cpu: Record<PathName, { worker: number; dockerd: number }[]> = { "raw dockerode exec": [], gateway: [] };
      // Interleaved: each round runs both paths, in alternating order, so drift hits both alike.
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? PATHS : ([...PATHS].reverse() as unknown as typeof PATHS);
        for (const p of order) {
          const measured = await measuringCpu(workerPid, async () =>
            (await Promise.all(pipes[p].map((pipe) => echoLatencies(pipe, Math.ceil(echoes / rounds))))).flat(),
          );
          samples[p].push(...measured.value);
          cpu[p].push(measured.cpu);
        }
      }
      const mbps: Record<PathName, number[]> = { "raw dockerode exec": [], gateway: [] };
      if (n === 1) {
        for (let r = 0; r < rounds; r++) {
          const order = r % 2 === 0 ? PATHS : ([...PATHS].reverse() as unknown as typeof PATHS);
          for (const p of order) mbps[p].push(await throughput(pipes[p], throughputMB * 1e6));
        }
      }
      for (const p of PATHS) pipes[p].forEach((pipe) => pipe.close());
      for (const p of PATHS) {
        const lat = latencyFigures(samples[p]);
        const meanCpu = (k: "worker" | "dockerd") => Math.round(cpu[p].reduce((a, c) => a + c[k], 0) / cpu[p].length);
        const tp = mbps[p].length ? round2(percentile(mbps[p], 50)) : undefined;
        rows.push({
          terminals: n,
          path: p,
          "echo p50 ms": lat.p50,
          "p95 ms": lat.p95,
          "p99 ms": lat.p99,
          "MB/s (1 term)": tp ?? "-",
          "worker CPU%": meanCpu("worker"),
          "dockerd CPU%": meanCpu("dockerd"),
        });
        results[`${n}:${p}`] = {
          echo: lat,
          ...(tp !== undefined ? { throughputMBps: tp } : {}),
          cpuPercent: { worker: meanCpu("worker"), dockerd: meanCpu("dockerd") },
        };
      }
      // Printed as soon as measured: a later size that fails does not lose these.
      process.stderr.write(`done: ${n} terminals ${JSON.stringify(rows.slice(-2))}\n`);
    }

    // Late joiner: a terminal with a long scrollback, joined 10 times.
    const t = targets[0]!;
    const filler = await gatewayPipe(secret, worker.port, t.sessionId, t.terminal, owner);
    const filled = waitFor(filler, (seen) => seen.includes("filled-ok"));
    filler.write("seq 1 20000; echo filled-''ok\n");
    await filled;
    const joins: number[] = [];
    let snapshotChars = 0;
    for (let i = 0; i < 10; i++) {
      // A user may open one terminal a burst of times, then once every 2 s: pace the joins.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const t0 = performance.now();
      const token = await signTerminalToken(secret, {
        sub: owner,
        sid: t.sessionId,
        terminal: t.terminal,
        role: "driver",
        cid: `bench-join-${i}-0123456789`,
        handle: "bench",
      });
      const connection = new TerminalConnection({ reset: () => {}, write: (_d, done) => done() });
      const socket = io(`http://127.0.0.1:${worker.port}${TERMINAL_NAMESPACE}`, {
        auth: (cb) => cb({ token, sessionId: t.sessionId, terminal: t.terminal, ...connection.handshake() }),
        transports: ["websocket"],
        forceNew: true,
      });
      connection.attach(socket);
      await new Promise<void>((resolve) =>
        socket.once("snapshot", (m) => {
          snapshotChars = m.data.length;
          resolve();
        }),
      );
      joins.push(performance.now() - t0);
      socket.close();
    }
    filler.close();
    const join = summary(joins);
    results.lateJoiner = { p50: join.p50, max: join.max, snapshotChars };
  } finally {
    await platform.stop();
  }
  printTable(rows);
  const late = results.lateJoiner as { p50: number; max: number; snapshotChars: number };
  console.log(`late joiner (1000-line scrollback, ${late.snapshotChars} chars): p50 ${late.p50} ms, max ${late.max} ms`);
  const ratios = Object.fromEntries(
    sizes.map((n) => {
      type R = { echo: { p50: number; p95: number; p99: number }; throughputMBps?: number };
      const g = results[`${n}:gateway`] as R;
      const r = results[`${n}:raw dockerode exec`] as R;
      const echoP50Ratio = round2(g.echo.p50 / r.echo.p50);
      const plus = round2(g.echo.p50 - r.echo.p50);
      const line = `${n} terminals: echo p50 ${echoP50Ratio}× raw (raw + ${plus} ms), p99 ${round2(g.echo.p99 / r.echo.p99)}×`;
      const tp = g.throughputMBps && r.throughputMBps ? round2(g.throughputMBps / r.throughputMBps) : undefined;
      console.log(tp !== undefined ? `${line}; throughput ${tp}× raw` : line);
      return [
        n,
        {
          echoP50: echoP50Ratio,
          echoP50PlusMs: plus,
          echoP95: round2(g.echo.p95 / r.echo.p95),
          echoP99: round2(g.echo.p99 / r.echo.p99),
          ...(tp !== undefined ? { throughput: tp } : {}),
        },
      ];
    }),
  );
  const machine = `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
  console.log(
    JSON.stringify({
      benchmark: "terminal",
      echoesPerTerminal: echoes,
      rounds,
      throughputMB,
      results,
      ratiosGatewayOverRaw: ratios,
      targets: { echoP50PlusMsAt1And20: 1, throughputAt1: 0.9 },
      machine,
      loadAverage: os.loadavg().map(round2),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
