// Terminal benchmark: keystroke echo latency (p50/p99) and output throughput through the gateway
// (socket.io + shared terminal + headless screen) against raw dockerode exec streams into the
// same containers, at 1, 50 and 200 concurrently active terminals; plus the time a late joiner
// waits for the screen of a terminal with a long scrollback.
//   npm run bench:terminal [-- --sizes 1,50,200 --echoes 20]
// Starts its own embedded PostgreSQL (.data/bench) and worker. Prints a table, then one JSON line.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { io } from "socket.io-client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { findLab } from "~/core/labs/catalog";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { echoLatencies, gatewayPipe, rawPipe, waitFor, type Pipe } from "./pipes";
import { startBenchPlatform } from "./platform";
import { printTable, summary } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg("sizes", "1,50,200").split(",").map(Number);
const echoes = Number(arg("echoes", "20"));
let SECRET = "";

/** Each pipe prints `bytes` of output; returns the aggregate MB/s. */
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

async function main() {
  const platform = await startBenchPlatform();
  SECRET = platform.secret;
  const { worker, provisioner } = platform;
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

  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const n of sizes) {
      const chosen = targets.slice(0, n);
      const bytes = Math.max(1_000_000, Math.floor(50_000_000 / n));
      for (const path of ["raw dockerode exec", "gateway"] as const) {
        const pipes = await Promise.all(
          chosen.map((t) =>
            path === "gateway"
              ? gatewayPipe(SECRET, worker.port, t.sessionId, t.terminal, owner)
              : rawPipe(provisioner, t.sessionId, t.terminal),
          ),
        );
        await Promise.all(pipes.map((p) => echoLatencies(p, 3))); // warm-up
        const latencies = (await Promise.all(pipes.map((p) => echoLatencies(p, echoes)))).flat();
        const mbps = await throughput(pipes, bytes);
        pipes.forEach((p) => p.close());
        const lat = summary(latencies);
        const p99 = Math.round(latencies.sort((a, b) => a - b)[Math.ceil(latencies.length * 0.99) - 1]! * 100) / 100;
        rows.push({
          terminals: n,
          path,
          "echo p50 ms": lat.p50,
          "echo p99 ms": p99,
          "MB/s total": Math.round(mbps * 10) / 10,
          "MB each": bytes / 1e6,
        });
        results[`${n}:${path}`] = { echoP50: lat.p50, echoP99: p99, throughputMBps: Math.round(mbps * 10) / 10 };
        process.stderr.write(`done: ${n} terminals, ${path}\n`);
      }
    }

    // Late joiner: a terminal with a long scrollback, joined 10 times.
    const t = targets[0]!;
    const filler = await gatewayPipe(SECRET, worker.port, t.sessionId, t.terminal, owner);
    const filled = waitFor(filler, (seen) => seen.includes("filled-ok"));
    filler.write("seq 1 20000; echo filled-''ok\n");
    await filled;
    const joins: number[] = [];
    let snapshotChars = 0;
    for (let i = 0; i < 10; i++) {
      // A user may open one terminal a burst of times, then once every 2 s: pace the joins.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const t0 = performance.now();
      const token = await signTerminalToken(SECRET, {
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
    rows.push({
      terminals: 1,
      path: "late joiner (1000-line scrollback)",
      "echo p50 ms": join.p50,
      "echo p99 ms": join.max,
      "MB/s total": "-",
      "MB each": Math.round(snapshotChars / 1000) / 1000,
    });
    results.lateJoiner = { p50: join.p50, max: join.max, snapshotChars };
  } finally {
    await platform.stop();
  }
  printTable(rows);
  const ratios = Object.fromEntries(
    sizes.map((n) => {
      const g = results[`${n}:gateway`] as { echoP50: number; throughputMBps: number };
      const r = results[`${n}:raw dockerode exec`] as { echoP50: number; throughputMBps: number };
      return [
        n,
        {
          echoP50: Math.round((g.echoP50 / r.echoP50) * 100) / 100,
          throughput: Math.round((g.throughputMBps / r.throughputMBps) * 100) / 100,
        },
      ];
    }),
  );
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
  console.log(
    JSON.stringify({ benchmark: "terminal", echoesPerTerminal: echoes, results, ratiosGatewayOverRaw: ratios, machine }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
