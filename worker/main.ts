// The worker process: the only process that talks to Docker. SIGTERM (or SIGINT) drains it: no new
// sessions are placed on it, it stops taking jobs and lets those under way finish (up to 20 s), hands
// its starting sessions to other lab hosts, tells terminals to reconnect by themselves, and exits 0.
// Its running sessions keep their containers; when it returns with the same WORKER_ID it serves them again.
import { logger } from "~/core/log";
import { startWorker } from "./app";
import { loadWorkerConfig } from "./config";

async function main() {
  const config = loadWorkerConfig();
  const log = logger.child({ component: "worker", workerId: config.WORKER_ID });
  const worker = await startWorker(config);
  log.info({ port: worker.port }, `terminal gateway on http://${config.WORKER_HOST}:${worker.port}, taking jobs`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}: draining (finishing jobs, handing back starting sessions, closing terminals)`);
    try {
      await worker.stop({ drain: true });
      log.info("drained; exiting");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, `the drain failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  logger.fatal({ component: "worker", err: error }, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
