import { describe, expect, it } from "vitest";
import { createLogger, logLevelFrom, prettyLine } from "./log";
import { errorsTotal } from "./metrics/definitions";

function capture(level: Parameters<typeof createLogger>[0] = "info") {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("log", () => {
  it("writes one JSON object per line with the level as a word, ISO time and a child's fields", () => {
    const { logger, records } = capture();
    logger.child({ workerId: "w1", sessionId: "s1", jobId: "j1" }).info({ step: 2 }, "provisioned");
    const [record] = records();
    expect(record).toMatchObject({ level: "info", msg: "provisioned", workerId: "w1", sessionId: "s1", jobId: "j1", step: 2 });
    expect(String(record!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it("serialises an error passed as err with its message and stack", () => {
    const { logger, records } = capture();
    logger.error({ err: new Error("engine gone") }, "check failed");
    expect(records()[0]).toMatchObject({ level: "error", err: { type: "Error", message: "engine gone" } });
    expect(String((records()[0]!.err as { stack: string }).stack)).toContain("engine gone");
  });

  it("drops records below the level", () => {
    const { logger, records } = capture("warn");
    logger.info("quiet");
    logger.warn("loud");
    expect(records().map((r) => r.msg)).toEqual(["loud"]);
  });

  it("LOG_LEVEL: unset is info, a known level is taken, anything else is a one-line error naming what is accepted", () => {
    expect(logLevelFrom(undefined)).toBe("info");
    expect(logLevelFrom(" DEBUG ")).toBe("debug");
    expect(() => logLevelFrom("loud")).toThrow(
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(default info\); got "loud"$/,
    );
  });

  it("a pretty line shows time, level, message and the fields", () => {
    const line = prettyLine(
      JSON.stringify({ level: "warn", time: "2026-11-28T22:00:01.000Z", pid: 1, msg: "slow", sessionId: "s1", n: 3 }),
    );
    expect(line).toBe("22:00:01 WARN  slow sessionId=s1 n=3\n");
    expect(prettyLine("not json")).toBe("not json");
  });

  it("a pretty line is one line: a newline in a message or a value cannot print a forged record", () => {
    const line = prettyLine(
      JSON.stringify({ level: "info", time: "2026-11-28T22:00:01.000Z", msg: "hi\n23:00:02 INFO  forged", name: "a\rb\u2028c" }),
    );
    expect(line).toBe("22:00:01 INFO  hi\\n23:00:02 INFO  forged name=a\\rb\\u2028c\n");
    expect(line.split("\n")).toHaveLength(2);
  });

  it("every error-level record counts in wireroom_errors_total by its component (the child's, or the call's)", async () => {
    const count = async (kind: string) => (await errorsTotal.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;
    const [gateway, setup, other] = [await count("gateway"), await count("setup"), await count("other")];
    const { logger } = capture();
    const gatewayLog = logger.child({ component: "gateway" });
    gatewayLog.error("refused");
    gatewayLog.fatal("gone");
    gatewayLog.warn("not an error");
    logger.error({ component: "setup" }, "could not print the token");
    logger.error("no component");
    expect([await count("gateway"), await count("setup"), await count("other")]).toEqual([gateway + 2, setup + 1, other + 1]);
  });
});
