import { describe, expect, it } from "vitest";
import { loadProvisionerConfig, loadWorkerConfig } from "./config";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("LAB_BRIDGE_POOL", () => {
  it("defaults to 10.0.0.0/8 and takes any IPv4 CIDR of /16 or larger", () => {
    expect(loadProvisionerConfig(env({})).LAB_BRIDGE_POOL).toBe("10.0.0.0/8");
    expect(loadProvisionerConfig(env({ LAB_BRIDGE_POOL: "172.20.0.0/14" })).LAB_BRIDGE_POOL).toBe("172.20.0.0/14");
    expect(loadProvisionerConfig(env({ LAB_BRIDGE_POOL: "10.9.0.0/16" })).LAB_BRIDGE_POOL).toBe("10.9.0.0/16");
  });

  it.each(["10.0.0.0/17", "10.0.0.0", "10.300.0.0/8", "ten/8", ""])("refuses %j, saying what is accepted", (value) => {
    expect(() => loadProvisionerConfig(env({ LAB_BRIDGE_POOL: value }))).toThrow(
      /LAB_BRIDGE_POOL must be an IPv4 CIDR of \/16 or larger \(each session's default bridge takes a \/16\), e\.g\. 10\.0\.0\.0\/8/,
    );
  });
});

describe("WORKER_HEARTBEAT_SECONDS", () => {
  const worker = (vars: Record<string, string>) =>
    loadWorkerConfig(env({ DATABASE_URL: "postgresql://localhost/x", TERMINAL_TOKEN_SECRET: "s".repeat(32), ...vars }));

  it("defaults to 5 s against a stale limit of 15 s, and may be half of it", () => {
    expect([worker({}).WORKER_HEARTBEAT_SECONDS, worker({}).WORKER_STALE_SECONDS]).toEqual([5, 15]);
    expect(worker({ WORKER_HEARTBEAT_SECONDS: "2", WORKER_STALE_SECONDS: "4" }).WORKER_HEARTBEAT_SECONDS).toBe(2);
  });

  it("refuses more than half of WORKER_STALE_SECONDS, saying why", () => {
    expect(() => worker({ WORKER_HEARTBEAT_SECONDS: "10" })).toThrow(
      /WORKER_HEARTBEAT_SECONDS: WORKER_HEARTBEAT_SECONDS must be at most half of WORKER_STALE_SECONDS: between two heartbeats/,
    );
  });
});
