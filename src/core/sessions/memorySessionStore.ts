// An in-memory SessionStore for unit tests of the worker's tasks: the same status machine
// (MOVES, canMove) as the Prisma store's guarded updates, with no database.
import { EXPIRED_REASON } from "./expireSessions";
import { canMove, isIn, LIVE, MOVES, Status, type Move, type SessionStatus } from "~/protocol/sessionStatus";
import type { EngineView } from "./engineView";
import type { SessionStore, StoredSession } from "./sessionStore";
import type { TransitionResult } from "./transitions";

export type MemorySession = Omit<StoredSession, "engineView"> & { expiresAt: Date; engineView: EngineView | null };

export type MemorySessionStore = SessionStore & {
  rows: Map<string, MemorySession>;
  /** Adds a row (status QUEUED unless given). */
  add(row: Partial<MemorySession> & { id: string }): MemorySession;
  get(id: string): MemorySession;
  /** Sessions whose teardown expire() enqueued, in order. */
  teardownsEnqueued: string[];
  /** Runs before each move: lets a test change a row while a task is between two steps. */
  beforeMove?: (move: Move, sessionId: string) => void;
};

export function createMemorySessionStore(): MemorySessionStore {
  const rows = new Map<string, MemorySession>();
  const teardownsEnqueued: string[] = [];

  /** Placed on that worker or on none (no worker given: anyone's). */
  const heldBy = (row: MemorySession, workerId: string | undefined) =>
    workerId === undefined || row.workerId === null || row.workerId === workerId;

  function apply(
    sessionId: string,
    name: Move,
    fields: Partial<MemorySession> = {},
    also: (row: MemorySession) => boolean = () => true,
  ): TransitionResult {
    store.beforeMove?.(name, sessionId);
    const row = rows.get(sessionId);
    if (!row || !canMove(name, row.status) || !also(row)) return "skipped";
    Object.assign(row, fields, { status: MOVES[name].to });
    return "applied";
  }

  const store: MemorySessionStore = {
    rows,
    teardownsEnqueued,
    add(row) {
      const full: MemorySession = {
        labSlug: "lab",
        status: Status.queued,
        statusReason: null,
        workerId: null,
        lab: null,
        labHash: null,
        expiresAt: new Date(Date.now() + 3_600_000),
        engineView: null,
        ...row,
      };
      rows.set(row.id, full);
      return full;
    },
    get(id) {
      const row = rows.get(id);
      if (!row) throw new Error(`no session ${id} in the memory store`);
      return row;
    },
    async find(id) {
      const row = rows.get(id);
      return row ? { ...row } : undefined;
    },
    async statuses(ids) {
      return ids.flatMap((id) => {
        const row = rows.get(id);
        return row ? [{ id, status: row.status }] : [];
      });
    },
    async onWorker(workerId, statuses: readonly SessionStatus[]) {
      return [...rows.values()]
        .filter((r) => r.workerId === workerId && statuses.includes(r.status))
        .map((r) => ({ id: r.id, status: r.status }));
    },
    claim: async (id, workerId, reason) => apply(id, "claim", { workerId, statusReason: reason }, (row) => heldBy(row, workerId)),
    ready: async (id, engineView, workerId) =>
      apply(id, "ready", { statusReason: null, engineView }, (row) => heldBy(row, workerId)),
    fail: async (id, reason, workerId) => apply(id, "fail", { statusReason: reason }, (row) => heldBy(row, workerId)),
    lose: async (id, reason) => apply(id, "lose", { statusReason: reason }),
    stopped: async (id) => apply(id, "stopped", { statusReason: null }),
    async setEngineView(id, engineView) {
      const row = rows.get(id);
      if (row?.status !== Status.ready) return "skipped";
      row.engineView = engineView;
      return "applied";
    },
    async noteWhileStopping(id, reason) {
      const row = rows.get(id);
      if (row?.status === Status.stopping) row.statusReason = reason;
    },
    async expire(now) {
      const expired = [...rows.values()].filter((r) => isIn(r.status, LIVE) && r.expiresAt < now);
      const stopped: string[] = [];
      for (const row of expired) {
        if (apply(row.id, "requestStop", { statusReason: EXPIRED_REASON }) === "applied") {
          teardownsEnqueued.push(row.id);
          stopped.push(row.id);
        }
      }
      return stopped;
    },
  };
  return store;
}
