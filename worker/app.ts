// The worker's composition root: wires config, database, queue, provisioner and gateway.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "~/core/db";
import { startBoss } from "~/core/jobs/boss";
import { failStaleRuns } from "~/core/grading/failStaleRuns";
import { getInstallationId } from "~/core/installation";
import { prismaSessionStore } from "~/core/sessions/sessionStore";
import { jobs, REAP_CRON } from "~/core/jobs/definitions";
import type { WorkerConfig } from "./config";
import { createTerminalGateway } from "./gateway/server";
import { TerminalHub } from "./gateway/terminalHub";
import { dockerProvisionerFromConfig } from "./provisioner/docker/fromConfig";
import { labFirewallFromConfig } from "./provisioner/firewall/fromConfig";
import { registerTasks } from "./queue/registerTasks";
import { checkStepTask } from "./tasks/checkStep";
import { provisionSessionTask } from "./tasks/provisionSession";
import { reapSessionsTask } from "./tasks/reapSessions";
import { createEngineViewRefresher } from "./tasks/refreshEngineView";
import { reconcile, type ReconcileReport } from "./tasks/reconcile";
import { submitSessionTask } from "./tasks/submitSession";
import { teardownSessionTask } from "./tasks/teardownSession";

export type RunningWorker = {
  port: number;
  hub: TerminalHub;
  /** Runs the periodic reconcile now (or joins the one under way). */
  reconcile: () => Promise<ReconcileReport>;
  stop: () => Promise<void>;
};

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  // The machine's defences against lab networks, before anything else (LAB_FIREWALL).
  await labFirewallFromConfig(config).ensure();
  const db = createDb(config.DATABASE_URL);
  const installationId = await getInstallationId(db);
  const provisioner = dockerProvisionerFromConfig(config, installationId);
  const hub = new TerminalHub(provisioner);
  const boss = await startBoss(config.DATABASE_URL, { worker: true });
  const sessions = prismaSessionStore(db, boss);
  const deps = { db, sessions, provisioner, workerId: config.WORKER_ID, hub, boss };

  // One reconcile at a time; the first, before taking jobs, finishes what a previous run left.
  let reconciling: Promise<ReconcileReport> | undefined;
  const runReconcile = (options: { atStart?: boolean } = {}) => {
    reconciling ??= reconcile(deps, options).finally(() => (reconciling = undefined));
    return reconciling;
  };
  const logReconcile = () =>
    runReconcile().then(
      (r) => {
        const counts = Object.entries(r)
          .filter(([, ids]) => ids.length)
          .map(([k, ids]) => `${k}=${ids.length}`);
        if (counts.length) console.log(`[worker] reconciled with the engine: ${counts.join(", ")}`);
      },
      (error: unknown) => console.error("[worker] reconciliation failed:", (error as Error).message),
    );
  await runReconcile({ atStart: true }).catch((error: unknown) =>
    console.error("[worker] reconciliation failed:", (error as Error).message),
  );
  const timer = setInterval(() => void logReconcile(), config.RECONCILE_INTERVAL_SECONDS * 1000);
  timer.unref();

  // Engine events keep READY sessions' engine views (terminal tabs, network panel) in step.
  const refresher = createEngineViewRefresher(deps);
  const watcher = provisioner.watch({
    changed: (sessionId) => refresher.touch(sessionId),
    resynced: () =>
      void refresher
        .refreshAll()
        .catch((error: unknown) => console.error("[worker] engine view refresh failed:", (error as Error).message)),
  });

  await registerTasks(
    boss,
    [
      provisionSessionTask(deps),
      teardownSessionTask(deps),
      checkStepTask(deps),
      submitSessionTask(deps),
      reapSessionsTask({ sessions, failStaleRuns: () => failStaleRuns(db) }),
    ],
    {
      concurrency: 4,
    },
  );
  await boss.schedule(jobs.reapSessions.name, REAP_CRON, {});

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
    hub,
    secret: config.TERMINAL_TOKEN_SECRET,
    allowedOrigins: config.WEB_ORIGINS,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.WORKER_PORT, config.WORKER_HOST, resolve);
  });

  return {
    port: (httpServer.address() as AddressInfo).port,
    hub,
    reconcile: () => runReconcile(),
    async stop() {
      // Stop taking jobs first; terminals close; containers keep running for the next worker.
      clearInterval(timer);
      await watcher.stop();
      await refresher.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await hub.closeAll("the lab host is restarting");
      await provisioner.close(); // sessions' Docker API endpoints; the next worker serves them again
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await db.$disconnect();
    },
  };
}
