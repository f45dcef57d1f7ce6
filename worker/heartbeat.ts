// This worker in the registry (src/core/workers/registry.ts): registered as soon as its engine
// answers (its id is part of the row), then a heartbeat every WORKER_HEARTBEAT_SECONDS with its load
// (this installation's containers on its engine, open terminal shells). While the engine does not
// answer, nothing is written: an unregistered worker gets no session placed on it (it still takes
// unplaced jobs from the shared queues), a registered one goes stale and the others place its
// starting sessions again. A beat that finds no row (or one marked stopped) registers again.
// Beats never overlap; a failed one is logged and the next tries again.
import type { Db } from "~/core/db";
import { logger } from "~/core/log";
import { heartbeat, registerWorker, type WorkerRegistration } from "~/core/workers/registry";

export type Heartbeat = {
  /** One beat now (or joins the one under way). */
  beat(): Promise<void>;
  /** Whether the worker is in the registry (its engine answered at least once). */
  registered(): boolean;
  /** No more beats (the worker is draining or stopping). */
  stop(): void;
};

export async function startHeartbeat(options: {
  db: Db;
  registration: Omit<WorkerRegistration, "engineId">;
  /** The engine's id (`docker info` ID); throws while the engine does not answer. */
  engineId: () => Promise<string>;
  everySeconds: number;
  /** The worker's load now; throws when the engine does not answer (then no beat is written). */
  load: () => Promise<{ containers: number; terminals: number }>;
  /** Runs after each beat that was written (the sweep of stale workers can hook here). */
  afterBeat?: () => Promise<void>;
}): Promise<Heartbeat> {
  const { db } = options;
  const log = logger.child({ workerId: options.registration.id });
  let stopped = false;
  let registered = false;
  let beating: Promise<void> | undefined;

  const register = async () => {
    const registration = { ...options.registration, engineId: await options.engineId() };
    await registerWorker(db, registration);
    if (!registered) log.info(registration, "registered as a lab host");
    registered = true;
  };
  const once = async () => {
    if (!registered) await register();
    const load = await options.load();
    if (stopped) return;
    if (!(await heartbeat(db, options.registration.id, load))) {
      log.warn("this worker's registry row was missing or marked stopped: registering again");
      await register();
      await heartbeat(db, options.registration.id, load);
    }
    await options.afterBeat?.();
  };
  const beat = () => {
    beating ??= (stopped ? Promise.resolve() : once())
      .catch((error: unknown) => log.warn({ err: error }, `heartbeat failed: ${(error as Error).message}`))
      .finally(() => (beating = undefined));
    return beating;
  };

  await beat();
  const timer = setInterval(() => void beat(), options.everySeconds * 1000);
  timer.unref();
  return {
    beat,
    registered: () => registered,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/**
 * The gateway's URL for browsers when WORKER_PUBLIC_URL is unset: the address it listens on, or
 * localhost when that is every address (0.0.0.0, ::).
 */
export function defaultPublicUrl(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" || host === "" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
