// The worker's composition root: wires config, database, queue, provisioner and gateway.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "~/core/db";
import { startBoss } from "~/core/jobs/boss";
import { failStaleRuns } from "~/core/grading/failStaleRuns";
import { getInstallationId } from "~/core/installation";
import { prismaSessionStore } from "~/core/sessions/sessionStore";
import { jobs, REAP_CRON } from "~/core/jobs/definitions";
import { createWorkerQueues } from "~/core/workers/queues";
import { markStopped } from "~/core/workers/registry";
import { sessionsOnOtherEngines } from "~/core/workers/placedElsewhere";
import { endAfterGrace, sweepWorkers, type SweepReport } from "~/core/workers/sweep";
import { catalog } from "~/core/labs/catalog";
import { checkPoolLabs } from "~/core/pool/poolSetting";
import { refillPools, type RefillReport } from "~/core/pool/refillPools";
import { logger } from "~/core/log";
import { createAdmitter } from "~/core/queue/admitter";
import type { WorkerConfig } from "./config";
import { createTerminalGateway } from "./gateway/server";
import { startCaptures } from "./capture/wiring";
import { TerminalHub } from "./gateway/terminalHub";
import { defaultPublicUrl, startHeartbeat, type Heartbeat } from "./heartbeat";
import { opsHttpHandler } from "./ops/http";
import { workerMetricsRegistry } from "./ops/metrics";
import { workerReadiness } from "./ops/readiness";
import { dockerProvisionerFromConfig } from "./provisioner/docker/fromConfig";
import { impairerFromConfig } from "./provisioner/docker/impair";
import { serveLinkCommands } from "./provisioner/docker/sessionApi/handlers/link";
import { labFirewallFromConfig } from "./provisioner/firewall/fromConfig";
import { registerTasks } from "./queue/registerTasks";
import { applyLinksTask, linkCommand, linksOnViewChange, reconcileWorkerLinks, withLinksAtReady } from "./tasks/applyLinks";
import { checkStepTask } from "./tasks/checkStep";
import { drainWorker } from "./tasks/drain";
import { provisionSessionTask } from "./tasks/provisionSession";
import { reapSessionsTask } from "./tasks/reapSessions";
import { createEngineViewRefresher } from "./tasks/refreshEngineView";
import { reconcile, type ReconcileReport } from "./tasks/reconcile";
import { submitSessionTask } from "./tasks/submitSession";
import { createCheckPool } from "./checks/pool";
import { inThreadRunner } from "./checks/runner";
import { teardownSessionTask } from "./tasks/teardownSession";
import { createCheckCaptures, sessionFactsFromDb, withCapturesAtReady, withCapturesEnded } from "./capture/checkCaptures";
import { ensureRolling, rollingPackets, stopRolling } from "./capture/rolling";

export type RunningWorker = {
  port: number;
  hub: TerminalHub;
  /** Runs the periodic reconcile now (or joins the one under way). */
  reconcile: () => Promise<ReconcileReport>;
  /** Runs the sweep of gone workers now (or joins the one under way). */
  sweep: () => Promise<SweepReport | undefined>;
  /** Refills the labs' pools of ready sessions now (SESSION_POOL), or joins the refill under way. */
  refillPools: () => Promise<RefillReport | undefined>;
  /**
   * Stops. `drain` (SIGTERM): marked draining first, takes no more jobs and lets those under way finish
   * (bounded), hands its starting sessions to other workers, tells terminals to resume (tasks/drain.ts).
   */
  stop: (options?: { drain?: boolean }) => Promise<void>;
  /** WORKER_ID, its row in the Worker table. */
  workerId: string;
  /** Its registration in the Worker table (heartbeat.beat() writes one now). */
  heartbeat: Heartbeat;
};

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  // SESSION_POOL names labs of this worker's catalog, or the worker does not start.
  checkPoolLabs(
    config.SESSION_POOL,
    catalog().labs.map((lab) => lab.slug),
  );
  // The machine's defences against lab networks, before anything else (LAB_FIREWALL).
  await labFirewallFromConfig(config).ensure();
  const db = createDb(config.DATABASE_URL);
  const installationId = await getInstallationId(db);
  const provisioner = dockerProvisionerFromConfig(config, installationId);
  const hub = new TerminalHub(provisioner);
  // Packet captures (worker/capture/): live ones for the /capture gateway, rolling ones for checks.
  const captures = await startCaptures(config, installationId);
  const boss = await startBoss(config.DATABASE_URL, { worker: true });
  const sessions = prismaSessionStore(db, boss);
  // Its own queues: the jobs of sessions placed on it.
  await createWorkerQueues(boss, config.WORKER_ID);
  const deps = {
    db,
    sessions,
    provisioner,
    workerId: config.WORKER_ID,
    hub,
    boss,
    // Reconcile removes this engine's objects of sessions now held by a worker on another engine.
    placedElsewhere: async (sessionIds: string[]) =>
      sessionsOnOtherEngines(db, { sessionIds, me: config.WORKER_ID, engineId: await provisioner.engineId() }),
  };

  // One reconcile at a time; the first, before taking jobs, finishes what a previous run left.
  const reconcileLog = logger.child({ component: "reconcile", workerId: config.WORKER_ID });
  let reconciling: Promise<ReconcileReport> | undefined;
  const runReconcile = (options: { atStart?: boolean } = {}) => {
    reconciling ??= reconcile(deps, options).finally(() => (reconciling = undefined));
    return reconciling;
  };
  const logReconcile = () =>
    runReconcile().then(
      (r) => {
        const counts = Object.fromEntries(Object.entries(r).flatMap(([k, ids]) => (ids.length ? [[k, ids.length]] : [])));
        if (Object.keys(counts).length) reconcileLog.info({ counts }, "reconciled with the engine");
      },
      (error: unknown) => reconcileLog.error({ err: error }, `reconciliation failed: ${(error as Error).message}`),
    );
  // Away longer than the grace (its last heartbeat, from before this start): its sessions end here too,
  // as another worker's sweep would have ended them (there may be none), and reconcile removes them.
  const ended = await endAfterGrace(db, config.WORKER_ID, config.WORKER_GRACE_SECONDS);
  if (ended.lost.length || ended.stopped.length)
    reconcileLog.warn({ lost: ended.lost.length, stopped: ended.stopped.length }, "back after the grace: its sessions ended");
  await runReconcile({ atStart: true }).catch((error: unknown) =>
    reconcileLog.error({ err: error }, `reconciliation failed: ${(error as Error).message}`),
  );
  const timer = setInterval(() => void logReconcile(), config.RECONCILE_INTERVAL_SECONDS * 1000);
  timer.unref();

  // Engine events keep READY sessions' engine views (terminal tabs, network panel) in step.
  const refresher = createEngineViewRefresher(deps);
  const offCaptureEngine = refresher.onEngineViewChanged((sessionId) => captures.engineChanged(sessionId));
  // Link impairments (src/core/links/): the session-links job, the host terminal's `link` command,
  // and engine view changes (a container joining a class-impaired bridge, one started again).
  const links = { db, impair: impairerFromConfig(config, installationId), provisioner, workerId: config.WORKER_ID };
  const offLinkViews = refresher.onEngineViewChanged((sessionId) => linksOnViewChange(links, sessionId));
  // Capture checks: rolling captures of the interfaces a session's lab watches, from READY and as
  // its containers come (worker/capture/checkCaptures.ts); each Check carries their packets.
  const checkCaptures = createCheckCaptures({ ensureRolling, rollingPackets, stopRolling }, sessionFactsFromDb(db));
  const offCaptureViews = refresher.onEngineViewChanged((sessionId, view) => checkCaptures.viewChanged(sessionId, view));
  const offLinkCommands = serveLinkCommands(linkCommand(links));
  // With the reconcile: a helper that died, or a container started again, gets its impairment back.
  let linksPass: Promise<void> | undefined;
  const linksTimer = setInterval(
    () => void (linksPass ??= reconcileWorkerLinks(links).finally(() => (linksPass = undefined))),
    config.RECONCILE_INTERVAL_SECONDS * 1000,
  );
  linksTimer.unref();
  const watcher = provisioner.watch({
    changed: (sessionId) => refresher.touch(sessionId),
    resynced: () =>
      void refresher
        .refreshAll()
        .catch((error: unknown) =>
          logger
            .child({ component: "engine-view", workerId: config.WORKER_ID })
            .error({ err: error }, `engine view refresh failed: ${(error as Error).message}`),
        ),
  });

  // The line of sessions waiting for a place: admitted after each teardown here and on the heartbeat
  // loop (every other freeing: a worker joining, capacity raised), one run at a time (src/core/queue/).
  const admitter = createAdmitter({
    db,
    boss,
    staleSeconds: config.WORKER_STALE_SECONDS,
    caps: { maxActiveSessions: config.MAX_ACTIVE_SESSIONS, maxActiveContainers: config.MAX_ACTIVE_CONTAINERS },
    maxWaitMinutes: config.MAX_WAIT_MINUTES,
    log: logger.child({ component: "line", workerId: config.WORKER_ID }),
  });
  // After a teardown its engine holds fewer containers than the last heartbeat said: one beat first
  // (once the heartbeat runs), so placement sees the room, then the line moves.
  let beatNow = (): Promise<void> => Promise.resolve();
  const placeFreed = () =>
    void beatNow()
      .catch(() => undefined)
      .then(() => admitter.poke());

  // Check and Submit run on their own threads (CHECK_THREADS), off the terminals' event loop.
  const batch = config.CHECK_BATCH === "on";
  const checks = checkCaptures.runner(
    config.CHECK_THREADS > 0
      ? createCheckPool({ size: config.CHECK_THREADS, data: { config, installationId }, batch, workerId: config.WORKER_ID })
      : inThreadRunner(provisioner, { batch }),
  );

  const worked = await registerTasks(
    boss,
    [
      withCapturesAtReady(withLinksAtReady(provisionSessionTask(deps), links), checkCaptures),
      applyLinksTask(links),
      withCapturesEnded(teardownSessionTask({ ...deps, hub: captures.endingWith(hub), placeFreed }), checkCaptures),
      checkStepTask({ ...deps, checks }),
      submitSessionTask({ ...deps, checks }),
      reapSessionsTask({ sessions, failStaleRuns: () => failStaleRuns(db) }),
    ],
    {
      concurrency: 4,
      workerId: config.WORKER_ID,
    },
  );
  await boss.schedule(jobs.reapSessions.name, REAP_CRON, {});

  // /metrics, /healthz, /readyz on the terminal port (worker/ops/).
  const httpServer = createServer(
    opsHttpHandler({
      registry: workerMetricsRegistry({ db, boss, hub }),
      ready: workerReadiness({ db, provisioner, workerId: config.WORKER_ID }),
      metricsToken: config.METRICS_TOKEN,
    }),
  );
  const io = createTerminalGateway({
    httpServer,
    db,
    hub,
    secret: config.TERMINAL_TOKEN_SECRET,
    allowedOrigins: config.WEB_ORIGINS,
    workerId: config.WORKER_ID,
    captures: captures.manager,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.WORKER_PORT, config.WORKER_HOST, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;

  // Registered once its gateway listens (and its engine answers): from then on sessions are placed
  // on it (src/core/workers/placement.ts).
  const heartbeat = await startHeartbeat({
    db,
    registration: {
      id: config.WORKER_ID,
      publicUrl: config.WORKER_PUBLIC_URL ?? defaultPublicUrl(config.WORKER_HOST, port),
      capacity: config.WORKER_CAPACITY,
    },
    engineId: () => provisioner.engineId(),
    everySeconds: config.WORKER_HEARTBEAT_SECONDS,
    load: async () => ({ containers: await provisioner.countContainers(), terminals: hub.counts().terminals }),
  });

  // Every heartbeat, one sweep at a time: gone workers' starting sessions placed again, silent ones' ended (sweep.ts).
  const sweepLog = logger.child({ component: "sweep", workerId: config.WORKER_ID });
  let sweeping: Promise<SweepReport | undefined> | undefined;
  const runSweep = () =>
    (sweeping ??= sweepWorkers({
      db,
      boss,
      me: config.WORKER_ID,
      staleSeconds: config.WORKER_STALE_SECONDS,
      graceSeconds: config.WORKER_GRACE_SECONDS,
    })
      .catch((error: unknown) => {
        sweepLog.error({ err: error }, `sweep failed: ${(error as Error).message}`);
        return undefined;
      })
      .finally(() => (sweeping = undefined)));
  const sweepTimer = setInterval(() => void runSweep(), config.WORKER_HEARTBEAT_SECONDS * 1000);
  sweepTimer.unref();
  beatNow = () => heartbeat.beat();
  const admitTimer = setInterval(() => void admitter.poke(), config.WORKER_HEARTBEAT_SECONDS * 1000);
  admitTimer.unref();

  // Every heartbeat, one refill at a time: the labs' pools of ready sessions (src/core/pool/).
  const poolLog = logger.child({ component: "pool", workerId: config.WORKER_ID });
  let refilling: Promise<RefillReport | undefined> | undefined;
  const runRefill = () =>
    (refilling ??= refillPools({
      db,
      boss,
      sizes: config.SESSION_POOL,
      staleSeconds: config.WORKER_STALE_SECONDS,
      caps: { maxActiveSessions: config.MAX_ACTIVE_SESSIONS, maxActiveContainers: config.MAX_ACTIVE_CONTAINERS },
    })
      .then((report) => {
        if (report.created.length || report.stopped.length)
          poolLog.info(
            { created: report.created.length, stopped: report.stopped.length, full: report.stoppedBecause },
            "refilled the pools",
          );
        return report;
      })
      .catch((error: unknown) => {
        poolLog.error({ err: error }, `pool refill failed: ${(error as Error).message}`);
        return undefined;
      })
      .finally(() => (refilling = undefined)));
  const refillTimer = config.SESSION_POOL.size
    ? setInterval(() => void runRefill(), config.WORKER_HEARTBEAT_SECONDS * 1000)
    : undefined;
  refillTimer?.unref();

  return {
    port,
    hub,
    workerId: config.WORKER_ID,
    heartbeat,
    reconcile: () => runReconcile(),
    sweep: runSweep,
    refillPools: runRefill,
    async stop(options = {}) {
      // Stop taking jobs first; terminals close; containers keep running for the next worker.
      clearInterval(timer);
      clearInterval(sweepTimer);
      clearInterval(admitTimer);
      await admitter.stop();
      clearInterval(refillTimer);
      await sweeping;
      await refilling;
      if (options.drain) {
        // Still beating while it drains: the others' sweep leaves its sessions to it until it has stopped.
        await drainWorker({
          db,
          boss,
          workerId: config.WORKER_ID,
          queues: worked,
          staleSeconds: config.WORKER_STALE_SECONDS,
        });
      }
      heartbeat.stop();
      await watcher.stop();
      offLinkViews();
      clearInterval(linksTimer);
      await linksPass;
      offCaptureViews();
      offLinkCommands();
      await refresher.stop();
      // A drain already waited for the jobs under way (tasks/drain.ts): what still runs is left to its retries.
      await boss.stop({ graceful: true, timeout: options.drain ? 2_000 : 10_000 });
      await hub.closeAll("the lab host is restarting", { resume: options.drain ?? false });
      offCaptureEngine();
      await captures.close(); // their helpers removed: a capture's reader is this process
      await checks.close();
      await provisioner.close(); // sessions' Docker API endpoints; the next worker serves them again
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await markStopped(db, config.WORKER_ID); // no new session is placed on it until it registers again
      await db.$disconnect();
    },
  };
}
