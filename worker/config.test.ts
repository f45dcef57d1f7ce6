import { describe, expect, it } from "vitest";
import os from "node:os";
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

describe("CHECK_THREADS and CHECK_BATCH", () => {
  const worker = (vars: Record<string, string>) =>
    loadWorkerConfig(env({ DATABASE_URL: "postgresql://localhost/x", TERMINAL_TOKEN_SECRET: "s".repeat(32), ...vars }));
  const cores = Math.min(4, Math.max(1, os.availableParallelism() - 1));

  it("default to one thread less than the cores (1 to 4), also when empty, and to batched probes; 0 is the main thread", () => {
    expect([worker({}).CHECK_THREADS, worker({ CHECK_THREADS: "" }).CHECK_THREADS]).toEqual([cores, cores]);
    expect([worker({ CHECK_THREADS: "0" }).CHECK_THREADS, worker({ CHECK_THREADS: "16" }).CHECK_THREADS]).toEqual([0, 16]);
    expect([worker({}).CHECK_BATCH, worker({ CHECK_BATCH: "off" }).CHECK_BATCH]).toEqual(["on", "off"]);
  });

  it.each(["17", "-1", "1.5", "two"])("CHECK_THREADS refuses %j, saying what is accepted", (value) => {
    expect(() => worker({ CHECK_THREADS: value })).toThrow(/CHECK_THREADS: CHECK_THREADS must be a whole number from 0 to 16/);
  });

  it("CHECK_BATCH refuses anything but on or off", () => {
    expect(() => worker({ CHECK_BATCH: "yes" })).toThrow(/CHECK_BATCH: CHECK_BATCH must be on or off/);
  });
});
