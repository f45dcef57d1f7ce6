// The worker process: the only process that talks to Docker. SIGTERM (or SIGINT) drains it: no new
// sessions are placed on it, it stops taking jobs and lets those under way finish (up to 20 s), hands
// its starting sessions to other lab hosts, tells terminals to reconnect by themselves, and exits 0.
// Its running sessions keep their containers; when it returns with the same WORKER_ID it serves them again.
// A signal that arrives while it starts is heard too: it drains as soon as it has started.
import { logger } from "~/core/log";
import { startWorker, type RunningWorker } from "./app";
import { loadWorkerConfig } from "./config";

async function main() {
  const config = loadWorkerConfig();
  const log = logger.child({ component: "worker", workerId: config.WORKER_ID });
  // The worker once started, and the signal heard (maybe while it was starting).
  const state: { worker?: RunningWorker; signalled?: string } = {};

  const drainAndExit = async (signal: string, running: RunningWorker) => {
    log.info({ signal }, `${signal}: draining (finishing jobs, handing back starting sessions, closing terminals)`);
    try {
      await running.stop({ drain: true });
      log.info("drained; exiting");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, `the drain failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  const onSignal = (signal: string) => {
    if (state.signalled) return;
    state.signalled = signal;
    if (state.worker) void drainAndExit(signal, state.worker);
    else log.info({ signal }, `${signal} while starting: draining once started`);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));

  const worker = await startWorker(config);
  state.worker = worker;
  log.info({ port: worker.port }, `terminal gateway on http://${config.WORKER_HOST}:${worker.port}, taking jobs`);
  if (state.signalled) await drainAndExit(state.signalled, worker);
}

main().catch((error: unknown) => {
  logger.fatal({ component: "worker", err: error }, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
