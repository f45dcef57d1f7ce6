// The worker's composition root: wires config, database, queue, provisioner and gateway.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "~/server/db";
import { startBoss } from "~/server/queue/boss";
import type { WorkerConfig } from "./config";
import { createTerminalGateway } from "./gateway/server";
import { dockerProvisionerFromConfig } from "./provisioner/docker/fromConfig";
import { registerTasks } from "./queue/registerTasks";
import { provisionSessionTask } from "./tasks/provisionSession";
import { teardownSessionTask } from "./tasks/teardownSession";

export type RunningWorker = { port: number; stop: () => Promise<void> };

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  const db = createDb(config.DATABASE_URL);
  const provisioner = dockerProvisionerFromConfig(config);
  const boss = await startBoss(config.DATABASE_URL, { worker: true });
  await registerTasks(boss, [provisionSessionTask({ db, provisioner }), teardownSessionTask({ db, provisioner })], {
    concurrency: 4,
  });

  const httpServer = createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    res.writeHead(404).end();
  });
  const io = createTerminalGateway({
    httpServer,
    db,
    provisioner,
    secret: config.TERMINAL_TOKEN_SECRET,
    allowedOrigins: config.WEB_ORIGINS,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.WORKER_PORT, config.WORKER_HOST, resolve);
  });

  return {
    port: (httpServer.address() as AddressInfo).port,
    async stop() {
      // Stop taking jobs first; terminals close; containers keep running for the next worker.
      await boss.stop({ graceful: true, timeout: 10_000 });
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await db.$disconnect();
    },
  };
}
