// Keeps each READY session's engine view (its networks, drivers and containers: the page's
// engine panels and terminal tabs) in step with the engine. The provisioner's watch says which
// session changed; a session's changes are coalesced for `debounceMs`, then it is re-read and
// written only if the view changed (the database trigger then pushes it to the page). Bounded:
// each session is queued at most once whatever its flood of events, refreshes run a few at a
// time in arrival order (one busy session cannot starve the others), and past `maxPending`
// sessions waiting, the next touch re-reads this worker's READY sessions instead of remembering more.
// Listeners (`onEngineViewChanged`) hear each view this refresher wrote: link impairments and capture
// checks follow containers as they come and go.
import type { Provisioner } from "~/core/provisioner/port";
import { engineViewOf, sameEngineView, type EngineView } from "~/core/sessions/engineView";
import type { SessionStore } from "~/core/sessions/sessionStore";
import { logger } from "~/core/log";
import { Status } from "~/protocol/sessionStatus";

const log = logger.child({ component: "engine-view" });

export type RefreshDeps = { sessions: SessionStore; provisioner: Provisioner; workerId: string };
export type RefreshOptions = { debounceMs?: number; concurrency?: number; maxPending?: number };
/** Told of each changed view written (the session, its new view); may be async, its failure is logged, never thrown. */
export type EngineViewListener = (sessionId: string, view: EngineView) => void | Promise<void>;

/** The session's engine view as the engine shows it now; `drivers` reused when known (they are the engine's, not the session's). */
export async function readEngineView(provisioner: Provisioner, sessionId: string, drivers?: string[]): Promise<EngineView> {
  const [networks, containers, engineDrivers, topology] = await Promise.all([
    provisioner.networkView(sessionId),
    provisioner.containerView(sessionId),
    drivers ?? provisioner.networkDrivers(),
    provisioner.topologyView(sessionId),
  ]);
  return { networks, drivers: engineDrivers, containers, topology };
}

/** Re-reads one session's view and writes it if it changed; READY sessions only. The view written, or null. */
export async function refreshEngineView(deps: RefreshDeps, sessionId: string): Promise<EngineView | null> {
  const session = await deps.sessions.find(sessionId);
  if (session?.status !== Status.ready) return null;
  let stored: EngineView | null = null;
  try {
    stored = engineViewOf(session);
  } catch {
    // A malformed stored view is replaced by a fresh one.
  }
  const view = await readEngineView(deps.provisioner, sessionId, stored?.drivers);
  if (sameEngineView(stored, view)) return null;
  return (await deps.sessions.setEngineView(sessionId, view)) === "applied" ? view : null;
}

export type EngineViewRefresher = {
  /** Something changed in the session's engine objects: refresh it soon (coalesced). */
  touch(sessionId: string): void;
  /** Refreshes every READY session of this worker (changes may have been missed). */
  refreshAll(): Promise<void>;
  /** Resolves once nothing is waiting or running (for tests). */
  idle(): Promise<void>;
  /** Calls `listener` after each changed view this refresher writes; returns the unsubscribe. */
  onEngineViewChanged(listener: EngineViewListener): () => void;
  stop(): Promise<void>;
};

export function createEngineViewRefresher(deps: RefreshDeps, options: RefreshOptions = {}): EngineViewRefresher {
  const debounceMs = options.debounceMs ?? 75;
  const concurrency = options.concurrency ?? 4;
  const maxPending = options.maxPending ?? 1_000;
  /** Sessions waiting out their debounce. */
  const debouncing = new Map<string, NodeJS.Timeout>();
  /** Sessions due, in arrival order (a Set: each once). */
  const due = new Set<string>();
  /** Sessions being refreshed now, and those touched meanwhile (refreshed again after). */
  const running = new Set<string>();
  const touchedWhileRunning = new Set<string>();
  let active = 0;
  let overflowed = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const listeners = new Set<EngineViewListener>();

  const tell = (sessionId: string, view: EngineView) => {
    for (const listener of listeners) {
      void Promise.resolve()
        .then(() => listener(sessionId, view))
        .catch((error: unknown) =>
          log.error({ err: error, sessionId }, `an engine view listener failed: ${(error as Error).message}`),
        );
    }
  };

  const pending = () => debouncing.size + due.size + touchedWhileRunning.size;

  const settleIdle = () => {
    if (active > 0 || pending() > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const pump = () => {
    while (!stopped && active < concurrency) {
      const next = [...due].find((id) => !running.has(id));
      if (next === undefined) break;
      due.delete(next);
      running.add(next);
      active++;
      void refreshEngineView(deps, next)
        .then((view) => {
          if (view && !stopped) tell(next, view);
        })
        .catch((error: unknown) => log.error({ err: error, sessionId: next }, `could not refresh session ${next}'s engine view`))
        .finally(() => {
          active--;
          running.delete(next);
          if (touchedWhileRunning.delete(next)) schedule(next);
          pump();
          settleIdle();
        });
    }
    settleIdle();
  };

  /** `listed`: from refreshAll, bounded by this worker's READY sessions, so never forgotten. */
  function schedule(sessionId: string, listed = false) {
    if (stopped || debouncing.has(sessionId) || due.has(sessionId)) return;
    if (!listed && pending() >= maxPending) {
      overflowed = true; // forgotten now; the next refreshAll covers it
      return;
    }
    const timer = setTimeout(() => {
      debouncing.delete(sessionId);
      due.add(sessionId);
      pump();
    }, debounceMs);
    timer.unref();
    debouncing.set(sessionId, timer);
  }

  const refresher: EngineViewRefresher = {
    touch(sessionId) {
      if (running.has(sessionId) && !debouncing.has(sessionId) && !due.has(sessionId)) {
        if (pending() < maxPending) touchedWhileRunning.add(sessionId);
        else overflowed = true;
        return;
      }
      schedule(sessionId);
      if (overflowed) void refresher.refreshAll();
    },
    async refreshAll() {
      if (stopped) return;
      overflowed = false;
      const ready = await deps.sessions.onWorker(deps.workerId, [Status.ready]);
      for (const { id } of ready) schedule(id, true);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    onEngineViewChanged(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      listeners.clear();
      for (const timer of debouncing.values()) clearTimeout(timer);
      debouncing.clear();
      due.clear();
      touchedWhileRunning.clear();
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    },
  };
  return refresher;
}
