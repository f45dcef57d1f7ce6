// Every Prometheus metric of web and worker, in one place. Two kinds:
// - recorded as things happen (histograms, counters), in this process's `eventRegistry`;
// - read at scrape time (gauges) from the database, the queue and the terminal hub: `snapshotMetrics(registry, sources)`.
// Labels are bounded: statuses, worker ids, queue names, fixed kinds; never a session, user or container.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { oneAtATime } from "./oneAtATime";

/** Seconds: from a few milliseconds to the jobs' expiry (2 min). */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** Seconds: a keystroke's echo, from sub-millisecond to "the terminal feels broken". */
const ECHO_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What ended a timed piece of work: it returned, or it threw (the queue may retry it). */
export type Outcome = "ok" | "error";

/** The process's metrics recorded as things happen (one registry per process; process_* and nodejs_* too). */
export const eventRegistry = new Registry();
collectDefaultMetrics({ register: eventRegistry });

const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
  new Histogram<L>({ name, help, labelNames, buckets, registers: [eventRegistry] });

export const provisionSeconds = histogram(
  "wireroom_provision_seconds",
  "Time of one provisioning attempt of a session (claim to READY, or to its failure)",
  ["outcome"],
  JOB_BUCKETS,
);

export const teardownSeconds = histogram(
  "wireroom_teardown_seconds",
  "Time of one teardown attempt of a session (its containers and networks removed)",
  ["outcome"],
  JOB_BUCKETS,
);

export const checkSeconds = histogram(
  "wireroom_check_seconds",
  "Time of one check job: kind check (a step's checks, the learner pressed Check) or submit (the whole lab graded)",
  ["kind", "outcome"],
  JOB_BUCKETS,
);

export const echoLatencySeconds = histogram(
  "wireroom_terminal_echo_seconds",
  "Input written to a shell until that shell's next output (sampled: at most one per terminal per second)",
  [],
  ECHO_BUCKETS,
);

export const terminalBytes = new Counter({
  name: "wireroom_terminal_bytes_total",
  help: "Bytes written to shells (in: what clients typed) and read from them (out: what the shells printed)",
  labelNames: ["direction"] as const,
  registers: [eventRegistry],
});

export const errorsTotal = new Counter({
  name: "wireroom_errors_total",
  help: "Errors logged, by kind (the component that logged it: gateway, check, submit, queue, push, reconcile, …)",
  labelNames: ["kind"] as const,
  registers: [eventRegistry],
});

/** A kind as a label: lower-case words and dashes, else "other" (keeps the label's values bounded). */
export function errorKind(component: unknown): string {
  return typeof component === "string" && /^[a-z][a-z-]{0,30}$/.test(component) ? component : "other";
}

/** Runs `work` and records its duration in `histogram` with its outcome; rethrows what it threw. */
export async function timed<T, L extends string>(
  histogram: Histogram<L | "outcome">,
  labels: Partial<Record<L, string>>,
  work: () => Promise<T>,
): Promise<T> {
  const end = histogram.startTimer(labels as Partial<Record<L | "outcome", string>>);
  try {
    const result = await work();
    end({ outcome: "ok" } as Partial<Record<L | "outcome", string>>);
    return result;
  } catch (error) {
    end({ outcome: "error" } as Partial<Record<L | "outcome", string>>);
    throw error;
  }
}

/** `pool`: the lab of unclaimed pooled sessions (src/core/pool/); absent for learners' sessions. */
export type SessionCount = { status: string; workerId: string | null; pool?: string; count: number };
export type QueueDepth = { queue: string; queued: number; active: number };
export type WorkerLoad = {
  id: string;
  capacity: number;
  containers: number;
  terminals: number;
  draining: boolean;
  heartbeatAgeSeconds: number;
};
export type TerminalCounts = { terminals: number; clients: number };

/** Where the scrape-time gauges read from; each process gives those it has. */
export type SnapshotSources = {
  /** Sessions not settled, by status and worker (one grouped query). */
  sessions?: () => Promise<SessionCount[]>;
  /** The lab hosts in the registry that have not stopped. */
  workers?: () => Promise<WorkerLoad[]>;
  /** Jobs per queue. */
  queues?: () => Promise<QueueDepth[]>;
  /** This worker's open shells and their clients. */
  terminals?: () => TerminalCounts;
  /** A source that failed is left out of this scrape and reported here (logged and counted). */
  onError?: (source: string, error: unknown) => void;
};

/** A source failing the same way is reported (logged, counted) again after this long. */
const REPORT_AGAIN_MS = 60_000;

/** The label for a session not placed on any worker (yet). */
export const UNPLACED = "none";

/**
 * Registers the scrape-time gauges on `registry` for the sources given. Each gauge is reset and refilled at
 * every scrape, so a status or queue that emptied disappears instead of keeping its last value.
 */
export function snapshotMetrics(registry: Registry, sources: SnapshotSources): void {
  const registers = [registry];
  // Scrapes at the same time share each source's read (an open /metrics must not multiply database queries).
  const shared = <T>(source?: () => Promise<T>) => source && oneAtATime(source);
  const [sessions, workers, queues] = [shared(sources.sessions), shared(sources.workers), shared(sources.queues)];
  const { terminals } = sources;
  // The same failure of a source is reported once a minute at most: during an outage, a flood of scrapes of the
  // open /metrics must not become a flood of error lines (a source that answers again forgets it).
  const reported = new Map<string, { message: string; at: number }>();
  const read = async <T>(name: string, source: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      const rows = await source();
      reported.delete(name);
      return rows;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const last = reported.get(name);
      if (!last || last.message !== message || Date.now() - last.at >= REPORT_AGAIN_MS) {
        reported.set(name, { message, at: Date.now() });
        sources.onError?.(name, error);
      }
      return undefined;
    }
  };

  /** A gauge refilled at each scrape from rows: each row gives its points (labels and value). */
  const rowsGauge = <R, L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    rows: () => Promise<R[] | undefined>,
    points: (row: R) => Array<[Record<L, string>, number]>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const read = await rows();
        this.reset();
        for (const row of read ?? []) for (const [labels, value] of points(row)) this.set(labels, value);
      },
    });

  if (sessions) {
    // One read per scrape for both gauges (collected in this order, the second sharing the first's answer).
    let latest: Promise<SessionCount[] | undefined> | undefined;
    rowsGauge(
      "wireroom_sessions",
      "Learners' sessions not yet settled, by status and the worker they are placed on (none: not placed yet); pooled ones are in wireroom_pool_sessions",
      ["status", "worker"],
      () => (latest = read("sessions", sessions)),
      (row) => (row.pool === undefined ? [[{ status: row.status, worker: row.workerId ?? UNPLACED }, row.count]] : []),
    );
    rowsGauge(
      "wireroom_pool_sessions",
      "Unclaimed sessions of the labs' pools of ready sessions (SESSION_POOL) not yet settled, by lab and status",
      ["lab", "status"],
      async () => {
        // The scrape's read, taken once (asked alone, it reads for itself).
        const shared = latest;
        latest = undefined;
        const rows = await (shared ?? read("sessions", sessions));
        const byLab = new Map<string, { lab: string; status: string; count: number }>();
        for (const row of rows ?? []) {
          if (row.pool === undefined) continue;
          const key = `${row.pool}\n${row.status}`;
          const sum = byLab.get(key) ?? { lab: row.pool, status: row.status, count: 0 };
          sum.count += row.count;
          byLab.set(key, sum);
        }
        return [...byLab.values()];
      },
      (row) => [[{ lab: row.lab, status: row.status }, row.count]],
    );
  }

  if (workers) {
    // One query per scrape for the five gauges: a scrape collects them in this order, starting each at once,
    // so the first reads and the others share its answer (or read themselves when asked alone).
    let latest: Promise<WorkerLoad[] | undefined> | undefined;
    const gauge = (name: string, help: string, value: (w: WorkerLoad) => number, first = false) =>
      rowsGauge(
        name,
        help,
        ["worker"],
        () => (first ? (latest = read("workers", workers)) : (latest ??= read("workers", workers))),
        (w) => [[{ worker: w.id }, value(w)]],
      );
    gauge("wireroom_worker_capacity", "The most containers the worker's engine runs (WORKER_CAPACITY)", (w) => w.capacity, true);
    gauge(
      "wireroom_worker_containers",
      "Containers of this installation on the worker's engine, at its last heartbeat",
      (w) => w.containers,
    );
    gauge("wireroom_worker_terminals", "Open terminal shells on the worker, at its last heartbeat", (w) => w.terminals);
    gauge("wireroom_worker_draining", "1 while the worker is draining (shutting down): it gets no new sessions", (w) =>
      w.draining ? 1 : 0,
    );
    gauge(
      "wireroom_worker_heartbeat_age_seconds",
      "Seconds since the worker's last heartbeat (the database's clock)",
      (w) => w.heartbeatAgeSeconds,
    );
  }

  if (queues) {
    rowsGauge(
      "wireroom_queue_jobs",
      "Jobs per queue: queued (waiting, deferred included) and active (being worked); pg-boss's counts, refreshed by its monitor",
      ["queue", "state"],
      () => read("queues", queues),
      (q) => [
        [{ queue: q.queue, state: "queued" }, q.queued],
        [{ queue: q.queue, state: "active" }, q.active],
      ],
    );
  }

  if (terminals) {
    new Gauge({
      name: "wireroom_terminals_open",
      help: "Terminal shells open on this worker",
      registers,
      async collect() {
        this.set((await read("terminals", terminals))?.terminals ?? 0);
      },
    });
    new Gauge({
      name: "wireroom_terminal_clients",
      help: "Clients (browser tabs) attached to this worker's terminal shells",
      registers,
      async collect() {
        this.set((await read("terminals", terminals))?.clients ?? 0);
      },
    });
  }
}

/** A registry serving this process's event metrics and the given sources' gauges (one per server, built once). */
export function processRegistry(sources: SnapshotSources): Registry {
  const snapshot = new Registry();
  snapshotMetrics(snapshot, sources);
  return Registry.merge([eventRegistry, snapshot]);
}
