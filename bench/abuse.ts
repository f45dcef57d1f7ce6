// Abuse benchmark: a neighbour's keystroke echo (p50/p99) while another learner abuses the
// platform, against the same terminal unloaded, in the same run. The worker runs in its own
// process; this process is the load generator and the neighbour.
//   npm run bench:abuse [-- --echoes 40 --seconds 6]
// Abuses: a Check over 256 KiB of adversarial output (ReDoS bait), 5,000 resizes a second,
// 300 Checks at once (and again each second), output expensive for the server's screen to parse,
// a flood of unknown events, a reconnect loop, stdout flooding the container's log. (Floods past
// a connection's budget are cut off by the gateway: the flooder does not reconnect here.) Prints a table, then one JSON line.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { io } from "socket.io-client";
import { startBoss, type Boss } from "~/core/jobs/boss";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { echoLatencies, gatewayPipe, rawPipe, type Pipe } from "./pipes";
import { startBenchPlatform } from "./platform";
import { percentile, printTable } from "./stats";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const echoes = arg("echoes", 40);
const seconds = arg("seconds", 6);
const OWNER = "bench-attacker";
const NEIGHBOUR = "bench-neighbour";
const CHECK_STEP = "addresses"; // two-bridges: extracts an address from /tmp/peer-ip (learner-written) by regex

type Abuse = { name: string; start: () => Promise<() => Promise<void>> };

/** Runs `tick` until stopped; `tick` may be async. */
function loop(tick: () => Promise<void> | void): () => Promise<void> {
  let running = true;
  const done = (async () => {
    while (running) {
      await tick();
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

async function checkSpam(boss: Boss, sessionId: string, count: number) {
  await Promise.all(
    Array.from({ length: count }, () => enqueueUnlessInFlight(boss, "checkStep", { sessionId, stepId: CHECK_STEP })),
  );
}

async function main() {
  const platform = await startBenchPlatform({ workerProcess: true });
  const boss = await startBoss(platform.url, { worker: false });
  const { worker, provisioner, secret } = platform;
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, { echoP50: number; echoP99: number; ratioP50: number; ratioP99: number }> = {};
  try {
    const attacker = await platform.session("two-bridges", OWNER);
    const neighbour = await platform.session("none", NEIGHBOUR);
    const run = (command: string) =>
      provisioner.run(attacker.sessionId, "busybox1", ["sh", "-c", command], { timeoutMs: 30_000 });
    const sign = (terminal: string) =>
      signTerminalToken(secret, {
        sub: OWNER,
        sid: attacker.sessionId,
        terminal,
        role: "driver",
        cid: `abuse-${randomUUID()}`,
        handle: "attacker",
      });

    /** The attacker's raw socket on one terminal, once it has its screen. */
    const joinedSocket = async (terminal: string) => {
      const socket = io(`http://127.0.0.1:${worker.port}${TERMINAL_NAMESPACE}`, {
        auth: { token: await sign(terminal), sessionId: attacker.sessionId, terminal },
        transports: ["websocket"],
        forceNew: true,
      });
      await new Promise((resolve) => socket.once("snapshot", resolve));
      return socket;
    };

    const abuses: Abuse[] = [
      {
        name: "Check over 256 KiB of digits (ReDoS bait)",
        async start() {
          await run("head -c 262144 /dev/zero | tr '\\0' 1 > /tmp/peer-ip");
          return loop(() => checkSpam(boss, attacker.sessionId, 1));
        },
      },
      {
        name: "5,000 resizes a second",
        async start() {
          const socket = await joinedSocket("busybox2");
          let i = 0;
          const timer = setInterval(() => {
            for (let k = 0; k < 50; k++, i++) socket.emit("resize", { cols: 40 + (i % 200), rows: 10 + (i % 50) });
          }, 10);
          return async () => {
            clearInterval(timer);
            socket.close();
          };
        },
      },
      {
        name: "300 Checks at once, every second",
        async start() {
          await run("echo 10.0.0.1 > /tmp/peer-ip");
          return loop(async () => {
            await checkSpam(boss, attacker.sessionId, 300);
            await new Promise((resolve) => setTimeout(resolve, 1000));
          });
        },
      },
      {
        name: "output expensive to parse (CSI 999 S, endless)",
        async start() {
          const shell = await gatewayPipe(secret, worker.port, attacker.sessionId, "busybox2", OWNER);
          shell.write("while :; do printf '\\033[999S'; done\n");
          return async () => {
            shell.write("\x03");
            shell.close();
          };
        },
      },
      {
        name: "unknown events, 40,000 a second",
        async start() {
          const socket = await joinedSocket("host");
          const timer = setInterval(() => {
            for (let k = 0; k < 200; k++) (socket as unknown as { emit: (e: string, p: unknown) => void }).emit("noise", { k });
          }, 5);
          return async () => {
            clearInterval(timer);
            socket.close();
          };
        },
      },
      {
        name: "reconnect loop",
        async start() {
          return loop(async () => {
            const token = await sign("busybox1");
            const socket = io(`http://127.0.0.1:${worker.port}${TERMINAL_NAMESPACE}`, {
              auth: { token, sessionId: attacker.sessionId, terminal: "busybox1" },
              transports: ["websocket"],
              forceNew: true,
              reconnection: false,
            });
            await new Promise((resolve) => {
              socket.once("snapshot", resolve);
              socket.once("connect_error", resolve);
            });
            socket.close();
          });
        },
      },
      {
        name: "stdout flood into the container's log",
        async start() {
          const flood = run(`timeout ${seconds + 5} sh -c "cat /dev/zero | tr '\\\\0' y > /proc/1/fd/1"; true`).catch(
            () => undefined,
          );
          return async () => {
            await run("pkill -f /proc/1/fd/1; true").catch(() => undefined);
            await flood;
          };
        },
      },
    ];

    const pipe = await gatewayPipe(secret, worker.port, neighbour.sessionId, "closed", NEIGHBOUR);
    await echoLatencies(pipe, 5); // warm-up
    const measure = (label: string, unloaded?: { p50: number; p99: number }, through: Pipe = pipe) =>
      echoLatencies(through, echoes).then((samples) => {
        const p50 = Math.round(percentile(samples, 50) * 100) / 100;
        const p99 = Math.round(percentile(samples, 99) * 100) / 100;
        const ratioP50 = unloaded ? Math.round((p50 / unloaded.p50) * 100) / 100 : 1;
        const ratioP99 = unloaded ? Math.round((p99 / unloaded.p99) * 100) / 100 : 1;
        rows.push({
          while: label,
          "echo p50 ms": p50,
          "echo p99 ms": p99,
          "p50 / unloaded": ratioP50,
          "p99 / unloaded": ratioP99,
        });
        results[label] = { echoP50: p50, echoP99: p99, ratioP50, ratioP99 };
        return { p50, p99 };
      });

    // The engine's floor in the same run: a raw dockerode exec into the same container.
    const raw = await rawPipe(provisioner, neighbour.sessionId, "closed");
    await echoLatencies(raw, 5);
    const floor = await measure("raw dockerode exec, unloaded (the engine's floor)", undefined, raw);
    raw.close();
    const unloaded = await measure("unloaded");
    Object.assign(results.unloaded!, { overRawP50: Math.round((unloaded.p50 / floor.p50) * 100) / 100 });
    for (const abuse of abuses) {
      process.stderr.write(`abuse: ${abuse.name}\n`);
      const stop = await abuse.start();
      await new Promise((resolve) => setTimeout(resolve, 500)); // let it bite
      const deadline = Date.now() + seconds * 1000;
      await measure(abuse.name, unloaded);
      while (Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await stop();
    }
    await measure("unloaded again", unloaded);
    pipe.close();
  } finally {
    await boss.stop({ graceful: false });
    await platform.stop();
  }
  printTable(rows);
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
  console.log(JSON.stringify({ benchmark: "abuse", echoes, results, machine }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
