// Every move from every status, through the functions that write it: the table below is written
// out by hand (not read from MOVES), so a change to the machine has to change it too.
import { describe, expect, it } from "vitest";
import { EndReason } from "~/protocol/sessionEnd";
import { MOVES, SESSION_STATUSES, Status, canMove, type Move, type SessionStatus } from "~/protocol/sessionStatus";
import { admit, claim, fail, leaveLine, lose, QUEUED_REASON, ready, requestStop, stopped, type SessionRows } from "./transitions";

const { waiting: W, queued: Q, provisioning: P, ready: R, stopping: S, stopped: X, failed: F } = Status;

const ALLOWED: Record<Move, { from: SessionStatus[]; to: SessionStatus }> = {
  admit: { from: [W], to: Q },
  leaveLine: { from: [W], to: X },
  claim: { from: [Q, P], to: P },
  ready: { from: [Q, P], to: R },
  fail: { from: [Q, P], to: F },
  lose: { from: [R], to: F },
  requestStop: { from: [Q, P, R, F], to: S },
  stopped: { from: [Q, P, R, S, F], to: X },
};

const apply: Record<Move, (db: SessionRows, id: string) => Promise<"applied" | "skipped">> = {
  admit: (db, id) => admit(db, id, "worker-1", new Date()),
  leaveLine: (db, id) => leaveLine(db, id, EndReason.owner),
  claim: (db, id) => claim(db, id, "worker-1", "Starting containers"),
  ready: (db, id) =>
    ready(db, id, { networks: [{ id: "abc", name: "bridge", driver: "bridge", scope: "local" }], drivers: ["bridge"] }),
  fail: (db, id) => fail(db, id, "it broke"),
  lose: (db, id) => lose(db, id, "containers gone"),
  requestStop: (db, id) => requestStop(db, id, "stop please", EndReason.owner),
  stopped: (db, id) => stopped(db, id),
};

/** One row, and the one Prisma call a move makes, with PostgreSQL's `status IN (...)` semantics. */
function oneRow(status: SessionStatus) {
  const row: Record<string, unknown> & { id: string; status: SessionStatus } = { id: "s1", status };
  const db: SessionRows = {
    labSession: {
      async updateMany({ where, data }) {
        const wanted = (where.status as { in: SessionStatus[] }).in;
        if (where.id !== row.id || !wanted.includes(row.status)) return { count: 0 };
        Object.assign(row, data);
        return { count: 1 };
      },
    },
  };
  return { row, db };
}

describe("the session status machine", () => {
  it("names every move", () => {
    expect(Object.keys(MOVES).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const move of Object.keys(ALLOWED) as Move[]) {
    for (const from of SESSION_STATUSES) {
      const allowed = ALLOWED[move].from.includes(from);
      it(`${move} from ${from} is ${allowed ? `allowed (to ${ALLOWED[move].to})` : "refused"}`, async () => {
        expect(canMove(move, from)).toBe(allowed);
        const { row, db } = oneRow(from);
        expect(await apply[move](db, row.id)).toBe(allowed ? "applied" : "skipped");
        expect(row.status).toBe(allowed ? ALLOWED[move].to : from);
      });
    }
  }

  it("a move writes what it says: the worker on claim, the engine view and ready time on ready, the reason on fail", async () => {
    const claimed = oneRow(Q);
    await claim(claimed.db, "s1", "worker-7", "Starting containers");
    expect(claimed.row).toMatchObject({ workerId: "worker-7", statusReason: "Starting containers" });
    const readied = oneRow(P);
    await apply.ready(readied.db, "s1");
    expect(readied.row).toMatchObject({ statusReason: null, engineView: { drivers: ["bridge"] } });
    expect(readied.row.readyAt).toBeInstanceOf(Date);
    const stop = oneRow(R);
    await stopped(stop.db, "s1");
    expect(stop.row.stoppedAt).toBeInstanceOf(Date);
    // Admitted from the line: placed, with its time starting now; left the line: over at once, who ended it kept.
    const admitted = oneRow(W);
    const expiresAt = new Date(Date.now() + 60_000);
    await admit(admitted.db, "s1", "worker-3", expiresAt);
    expect(admitted.row).toMatchObject({ workerId: "worker-3", expiresAt, statusReason: QUEUED_REASON });
    const left = oneRow(W);
    await leaveLine(left.db, "s1", EndReason.owner);
    expect(left.row).toMatchObject({ status: X, endReason: EndReason.owner, statusReason: null });
    expect(left.row.stoppedAt).toBeInstanceOf(Date);
    // Ended by the line itself (it waited too long, or can never fit): nobody ended it, the reason is what the learner reads.
    const ended = oneRow(W);
    await leaveLine(ended.db, "s1", null, "No place freed within 60 minutes");
    expect(ended.row).toMatchObject({ status: X, endReason: null, statusReason: "No place freed within 60 minutes" });
  });

  it("refuses to write an engine view that does not match its schema", async () => {
    const { db } = oneRow(P);
    const bad = { networks: [{ id: "x", name: "bridge", driver: "bridge", scope: "global" }], drivers: [] };
    await expect(ready(db, "s1", bad as never)).rejects.toThrow(/scope/);
  });
});
