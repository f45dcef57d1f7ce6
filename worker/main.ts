// The worker process: the only process that talks to Docker. Stops gracefully on SIGTERM.
import { startWorker } from "./app";
import { loadWorkerConfig } from "./config";

async function main() {
  const config = loadWorkerConfig();
  const worker = await startWorker(config);
  console.log(`[worker] terminal gateway on http://${config.WORKER_HOST}:${worker.port}, taking jobs`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing jobs and closing terminals`);
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
