// Capture benchmark, in one run:
// (1) throughput: packets per second reaching a socket.io client in this process (the browser's
//     side: worker → tcpdump helper → pcap parse → decode → /capture fan-out) while busybox1 pings
//     busybox2, against the raw baseline: tcpdump in the same helper image (same limits) read
//     directly through a raw dockerode attach stream, counting pcap records. Two offered loads: a
//     steady one (`ping -i 0.002`: at most 1,000 packets/s on busybox2's eth0, about 500 on a loaded
//     machine) and a flood (`ping -A`, each echo sent as soon as the last reply came: tens of
//     thousands per second); interleaved rounds, each path alone on the load. "share captured" is
//     what reached the reader of what ping sent and received; received pkt/s counts until the last
//     packet arrived (a backlog drained after the flood lowers it).
// (2) the echo latency a terminal gains while a capture runs: typing in busybox1's terminal through
//     the gateway, while busybox1 pings busybox2 at `-i 0.004` (at most 500 packets/s on the wire,
//     the default CAPTURE_MAX_PPS), without a capture and with one on busybox2's eth0, interleaved.
//   npm run bench:capture [-- --rounds 3 --seconds 3 --echoes 60]
// The worker runs in its own process with the capture limits raised (CAPTURE_MAX_PPS 1,000,000,
// CAPTURE_MAX_BYTES 512 MiB, 4 captures per session) so a flood is measured, not ended. Starts its own
// embedded PostgreSQL (.data/bench). Prints a table, then one JSON line.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { findLab } from "~/core/labs/catalog";
import { loadProvisionerConfig, loadWorkerConfig } from "../worker/config";
import { createDockerClient } from "../worker/provisioner/docker/client";
import { containerName } from "../worker/provisioner/docker/names";
import { captureSocket, gatewayTap, rawTap, type Tap } from "./captureTaps";
import { echoLatencies, gatewayPipe, rawPipe, type Pipe } from "./pipes";
import { startBenchPlatform } from "./platform";
import { cpuBetween, sampleTree } from "./procCpu";
import { percentile, printTable } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const rounds = Number(arg("rounds", "3"));
const floodSeconds = Number(arg("seconds", "3"));
const echoes = Number(arg("echoes", "60"));
const LOADS = { steady: "-i 0.002", flood: "-A" } as const;
type Load = keyof typeof LOADS;
const PATHS = ["raw tcpdump", "gateway"] as const;
const WORKER_ENV = { CAPTURE_MAX_PPS: "1000000", CAPTURE_MAX_BYTES: String(512 * 1024 * 1024), CAPTURE_MAX_PER_SESSION: "4" };

const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => round2(percentile(xs, 50));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `ping` from busybox1's shell for `seconds`; returns the packets it put on busybox2's eth0 (requests + replies). */
async function ping(shell: Pipe, address: string, options: string, seconds: number): Promise<number> {
  const marker = `ping-done-${randomUUID().slice(0, 6)}`;
  let seen = "";
  const summary = new Promise<string>((resolve) =>
    shell.onData((t) => {
      seen = (seen + t).slice(-4000);
      if (seen.includes(`${marker}\r\n`) || seen.includes(`${marker}\n`)) resolve(seen);
    }),
  );
  shell.write(`ping -q ${options} -w ${seconds} ${address} 2>&1 | tail -2; echo ${marker.replace(/-/g, "-''")}\n`);
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(await summary);
  return m ? Number(m[1]) + Number(m[2]) : NaN;
}

/** Waits until the tap has counted nothing new for `quietMs` (at most 30 s): the pipeline has drained. */
async function drained(tap: Tap, quietMs = 1000) {
  const deadline = Date.now() + 30_000;
  let last = -1;
  while (Date.now() < deadline) {
    const now = tap.count();
    if (now === last && performance.now() - tap.lastAt() >= quietMs) return;
    last = now;
    await sleep(200);
  }
}

type Platform = Awaited<ReturnType<typeof startBenchPlatform>>;

async function measure(platform: Platform) {
  const { worker, provisioner, secret } = platform;
  const workerPid = worker.pid!;
  const owner = "bench-user";
  const lab = findLab("two-bridges")!;
  const { sessionId } = await platform.session(lab.slug, owner);
  const docker = createDockerClient(loadProvisionerConfig(process.env).DOCKER_HOST);
  const image = loadWorkerConfig({ ...process.env, DATABASE_URL: platform.url, TERMINAL_TOKEN_SECRET: secret }).NETTOOLS_IMAGE;
  const target = await docker.getContainer(containerName(sessionId, "busybox2")).inspect();
  const address = Object.values(target.NetworkSettings.Networks)[0]!.IPAddress;
  const shell = await rawPipe(provisioner, sessionId, "busybox1"); // the load generator
  const socket = await captureSocket(secret, worker.port, sessionId, owner);
  /** CPU (% of one core) of the worker's process tree and of this process (the reading client) while `fn` runs. */
  const cpuWhile = async <T>(fn: () => Promise<T>) => {
    const before = sampleTree(workerPid);
    const mine = process.cpuUsage();
    const t0 = performance.now();
    const value = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const client = process.cpuUsage(mine);
    return {
      value,
      workerCpu: Math.round((cpuBetween(before, sampleTree(workerPid)).total / seconds) * 100),
      clientCpu: Math.round(((client.user + client.system) / 1e6 / seconds) * 100),
    };
  };
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  try {
    await ping(shell, address, "-c 3", 3); // ARP settled, shell warm
    // (1) throughput, each path alone on the same offered load, alternating which goes first.
    const tp: Record<string, { pps: number[]; share: number[]; offered: number[]; cpu: number[]; clientCpu: number[] }> = {};
    for (const load of Object.keys(LOADS) as Load[]) {
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? PATHS : ([...PATHS].reverse() as unknown as typeof PATHS);
        for (const p of order) {
          const tap =
            p === "gateway" ? await gatewayTap(socket, "busybox2", "eth0") : await rawTap(docker, image, target.Id, "eth0");
          try {
            const t0 = performance.now();
            const {
              value: offered,
              workerCpu,
              clientCpu,
            } = await cpuWhile(async () => {
              const sent = await ping(shell, address, LOADS[load], floodSeconds);
              await drained(tap);
              return sent;
            });
            const seconds = (Math.max(tap.lastAt(), t0 + floodSeconds * 1000) - t0) / 1000;
            const key = `${load}:${p}`;
            tp[key] ??= { pps: [], share: [], offered: [], cpu: [], clientCpu: [] };
            tp[key].pps.push(tap.count() / seconds);
            tp[key].share.push(tap.count() / offered);
            tp[key].offered.push(offered / floodSeconds);
            tp[key].cpu.push(workerCpu);
            tp[key].clientCpu.push(clientCpu);
            const end = tap.ended() ? ` (the capture ended: ${tap.ended()})` : "";
            process.stderr.write(`${key} round ${r + 1}: ${tap.count()} of ${offered} packets in ${round2(seconds)} s${end}\n`);
          } finally {
            await tap.close();
          }
        }
      }
      for (const p of PATHS) {
        const t = tp[`${load}:${p}`]!;
        const figures = {
          offeredPps: Math.round(median(t.offered)),
          pps: Math.round(median(t.pps)),
          captured: median(t.share),
          workerCpu: median(t.cpu),
          clientCpu: median(t.clientCpu),
        };
        results[`throughput:${load}:${p}`] = figures;
        rows.push({
          measure: `throughput, ${load} (${LOADS[load]})`,
          path: p,
          "offered pkt/s": figures.offeredPps,
          "received pkt/s": figures.pps,
          "share captured": figures.captured,
          "echo p50 ms": "-",
          "echo p95 ms": "-",
          "worker CPU%": figures.workerCpu,
          "client CPU%": figures.clientCpu,
        });
      }
    }

    // (2) echo latency with and without a capture of a ~500 packets/s ping running from busybox1.
    const typing = await gatewayPipe(secret, worker.port, sessionId, "busybox1", owner);
    const flooder = await rawPipe(provisioner, sessionId, "busybox1");
    flooder.write(`ping -q -i 0.004 ${address}\n`);
    await echoLatencies(typing, 5); // warm-up
    const modes = ["without capture", "with capture"] as const;
    const samples: Record<(typeof modes)[number], number[]> = { "without capture": [], "with capture": [] };
    const cpu: Record<(typeof modes)[number], number[]> = { "without capture": [], "with capture": [] };
    let capturedDuringEcho = 0;
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? modes : ([...modes].reverse() as unknown as typeof modes);
      for (const mode of order) {
        const tap = mode === "with capture" ? await gatewayTap(socket, "busybox2", "eth0") : undefined;
        try {
          // Packets are flowing to us before typing starts.
          for (let waited = 0; tap && tap.count() === 0; waited += 50) {
            if (waited > 15_000 || tap.ended())
              throw new Error(`no packet reached the capture client: ${tap.ended() ?? "none in 15 s"}`);
            await sleep(50);
          }
          const measured = await cpuWhile(() => echoLatencies(typing, Math.ceil(echoes / rounds)));
          samples[mode].push(...measured.value);
          cpu[mode].push(measured.workerCpu);
          capturedDuringEcho += tap?.count() ?? 0;
        } finally {
          await tap?.close();
        }
      }
    }
    flooder.write("\x03");
    flooder.close();
    typing.close();
    for (const mode of modes) {
      const figures = {
        p50: round2(percentile(samples[mode], 50)),
        p95: round2(percentile(samples[mode], 95)),
        n: samples[mode].length,
        workerCpu: median(cpu[mode]),
      };
      results[`echo:${mode}`] = figures;
      rows.push({
        measure: "terminal echo, ping -i 0.004 running",
        path: mode,
        "offered pkt/s": "-",
        "received pkt/s": "-",
        "share captured": "-",
        "echo p50 ms": figures.p50,
        "echo p95 ms": figures.p95,
        "worker CPU%": figures.workerCpu,
        "client CPU%": "-",
      });
    }
    results.capturedDuringEcho = capturedDuringEcho;
  } finally {
    socket.close();
    shell.close();
  }
  return { rows, results };
}

async function main() {
  const platform = await startBenchPlatform({ workerProcess: true, workerEnv: WORKER_ENV });
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    measured = await measure(platform);
  } finally {
    await platform.stop();
  }
  const { rows, results } = measured;
  printTable(rows);
  type T = { pps: number };
  type E = { p50: number; p95: number };
  const ratios = {
    throughputSteady: round2(
      (results["throughput:steady:gateway"] as T).pps / (results["throughput:steady:raw tcpdump"] as T).pps,
    ),
    throughputFlood: round2((results["throughput:flood:gateway"] as T).pps / (results["throughput:flood:raw tcpdump"] as T).pps),
    echoP50: round2((results["echo:with capture"] as E).p50 / (results["echo:without capture"] as E).p50),
    echoP95: round2((results["echo:with capture"] as E).p95 / (results["echo:without capture"] as E).p95),
    echoP50PlusMs: round2((results["echo:with capture"] as E).p50 - (results["echo:without capture"] as E).p50),
  };
  console.log(
    `gateway / raw tcpdump: ${ratios.throughputSteady}× at the steady load, ${ratios.throughputFlood}× in the flood; ` +
      `echo with a capture: p50 ${ratios.echoP50}× (+${ratios.echoP50PlusMs} ms), p95 ${ratios.echoP95}×`,
  );
  console.log(
    JSON.stringify({
      benchmark: "capture",
      rounds,
      floodSeconds,
      echoes,
      workerSettings: WORKER_ENV,
      results,
      ratios,
      machine: `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
      loadAverage: os.loadavg().map(round2),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
