import { describe, expect, it } from "vitest";
import { captureLogs } from "../../../test/support/logLines";
import { checkReadiness, databaseProbe } from "./readiness";

describe("checkReadiness", () => {
  it("is ready when every probe answers", async () => {
    expect(await checkReadiness({ database: async () => {}, engine: async () => undefined })).toEqual({
      ready: true,
      checks: { database: "ok", engine: "ok" },
    });
  });

  it("a probe that throws, gives a reason, or hangs past the timeout makes it not ready, each saying why", async () => {
    const logs = captureLogs({ quiet: true });
    const readiness = await checkReadiness(
      {
        database: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")),
        draining: async () => "the worker is draining",
        engine: () => new Promise(() => {}),
        ok: async () => {},
      },
      50,
    ).finally(logs.restore);
    expect(readiness).toEqual({
      ready: false,
      checks: {
        database: "failed; details in the log",
        draining: "the worker is draining",
        engine: "did not answer within 50 ms",
        ok: "ok",
      },
    });
  });

  it("the database probe runs a query, and fails with the database's error", async () => {
    expect(await checkReadiness({ database: databaseProbe({ $queryRaw: (async () => [{ one: 1 }]) as never }) })).toMatchObject({
      ready: true,
    });
    const down = databaseProbe({ $queryRaw: (() => Promise.reject(new Error("Can't reach database server"))) as never });
    const logs = captureLogs({ quiet: true });
    expect(await checkReadiness({ database: down }).finally(logs.restore)).toEqual({
      ready: false,
      checks: { database: "failed; details in the log" },
    });
  });
});
