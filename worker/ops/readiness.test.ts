import { describe, expect, it } from "vitest";
import type { Db } from "~/core/db";
import { captureLogs } from "../../test/support/logLines";
import { workerReadiness } from "./readiness";

type Row = { draining: boolean; stoppedAt: Date | null } | null;

function fakeDb(options: { down?: boolean; row?: Row }): Db {
  const fail = () => Promise.reject(new Error("Can't reach database server at 127.0.0.1:1"));
  return {
    $queryRaw: options.down ? fail : async () => [{ "?column?": 1 }],
    worker: { findUnique: options.down ? fail : async () => options.row ?? null },
  } as unknown as Db;
}
const engineUp = { ping: async () => {} };

describe("the worker's readiness", () => {
  it("ready when the database and engine answer and it is registered and not draining (or not registered yet)", async () => {
    for (const row of [null, { draining: false, stoppedAt: null }]) {
      expect(await workerReadiness({ db: fakeDb({ row }), provisioner: engineUp, workerId: "w1" })()).toEqual({
        ready: true,
        checks: { database: "ok", engine: "ok", draining: "ok" },
      });
    }
  });

  it("not ready, saying why, when the database is unreachable, the engine does not answer, or it drains", async () => {
    const logs = captureLogs({ quiet: true });
    const down = await workerReadiness({
      db: fakeDb({ down: true }),
      provisioner: { ping: () => Promise.reject(new Error("connect ENOENT /var/run/docker.sock")) },
      workerId: "w1",
    })().finally(logs.restore);
    // Its addresses stay out of the open /readyz: the reasons are in the log.
    expect(down).toEqual({
      ready: false,
      checks: {
        database: "failed; details in the log",
        engine: "failed; details in the log",
        draining: "failed; details in the log",
      },
    });
    expect(logs.records.map((r) => r.msg)).toContain("readiness: engine: connect ENOENT /var/run/docker.sock");
    const draining = await workerReadiness({
      db: fakeDb({ row: { draining: true, stoppedAt: null } }),
      provisioner: engineUp,
      workerId: "w1",
    })();
    expect(draining.checks.draining).toBe("the worker is draining (shutting down): it takes no new work");
    expect(draining.ready).toBe(false);
  });
});
