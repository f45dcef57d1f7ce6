import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { checkSeconds, errorKind, eventRegistry, processRegistry, snapshotMetrics, timed, UNPLACED } from "./definitions";

const value = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)!.get()).values;

describe("metric definitions", () => {
  it("every metric is named wireroom_* (or the process defaults), and no label can carry a session, user or container", async () => {
    const registry = processRegistry({
      sessions: async () => [],
      workers: async () => [],
      queues: async () => [],
      terminals: () => ({ terminals: 0, clients: 0 }),
    });
    const metrics = await registry.getMetricsAsJSON();
    const ours = metrics.filter((m) => m.name.startsWith("wireroom_"));
    expect(ours.map((m) => m.name).sort()).toEqual([
      "wireroom_check_seconds",
      "wireroom_errors_total",
      "wireroom_pool_sessions",
      "wireroom_provision_seconds",
      "wireroom_queue_jobs",
      "wireroom_sessions",
      "wireroom_teardown_seconds",
      "wireroom_terminal_bytes_total",
      "wireroom_terminal_clients",
      "wireroom_terminal_echo_seconds",
      "wireroom_terminals_open",
      "wireroom_worker_capacity",
      "wireroom_worker_containers",
      "wireroom_worker_draining",
      "wireroom_worker_heartbeat_age_seconds",
      "wireroom_worker_terminals",
    ]);
    const labels = new Set(ours.flatMap((m) => m.values.flatMap((v) => Object.keys(v.labels))));
    for (const forbidden of ["session", "sessionId", "user", "userId", "container", "handle"])
      expect(labels).not.toContain(forbidden);
    expect(metrics.some((m) => m.name === "process_resident_memory_bytes")).toBe(true);
  });

  it("gauges are read at scrape time and emptied when their rows go: sessions by status and worker, unplaced as none", async () => {
    let rows = [
      { status: "READY", workerId: "w1", count: 3 },
      { status: "QUEUED", workerId: null, count: 1 },
    ];
    const registry = new Registry();
    snapshotMetrics(registry, { sessions: async () => rows });
    expect(await value(registry, "wireroom_sessions")).toEqual([
      { value: 3, labels: { status: "READY", worker: "w1" } },
      { value: 1, labels: { status: "QUEUED", worker: UNPLACED } },
    ]);
    rows = [{ status: "READY", workerId: "w1", count: 2 }];
    expect(await value(registry, "wireroom_sessions")).toEqual([{ value: 2, labels: { status: "READY", worker: "w1" } }]);
  });

  it("pooled sessions are counted by lab and status in wireroom_pool_sessions, not as learners' sessions, from one read per scrape", async () => {
    let reads = 0;
    const rows = [
      { status: "READY", workerId: "w1", count: 3 },
      { status: "READY", workerId: "w1", pool: "dns", count: 2 },
      { status: "READY", workerId: "w2", pool: "dns", count: 1 },
      { status: "QUEUED", workerId: "w2", pool: "bridge-basics", count: 1 },
    ];
    const registry = new Registry();
    snapshotMetrics(registry, {
      sessions: async () => {
        reads++;
        return rows;
      },
    });
    const text = await registry.metrics();
    expect(reads).toBe(1);
    expect(text).toMatch(/^wireroom_sessions\{status="READY",worker="w1"\} 3$/m);
    expect(text).not.toMatch(/^wireroom_sessions\{status="QUEUED"/m);
    expect(text).not.toMatch(/^wireroom_sessions\{status="READY",worker="w2"/m);
    expect(await value(registry, "wireroom_pool_sessions")).toEqual([
      { value: 3, labels: { lab: "dns", status: "READY" } },
      { value: 1, labels: { lab: "bridge-basics", status: "QUEUED" } },
    ]);
    expect(reads).toBe(2);
  });

  it("the five worker-load gauges share one read per scrape; queues give queued and active", async () => {
    let reads = 0;
    const registry = new Registry();
    snapshotMetrics(registry, {
      workers: async () => {
        reads++;
        return [{ id: "w1", capacity: 400, containers: 7, terminals: 2, draining: true, heartbeatAgeSeconds: 1.5 }];
      },
      queues: async () => [{ queue: "session-provision/w1", queued: 4, active: 1 }],
    });
    const text = await registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('wireroom_worker_capacity{worker="w1"} 400');
    expect(text).toContain('wireroom_worker_containers{worker="w1"} 7');
    expect(text).toContain('wireroom_worker_terminals{worker="w1"} 2');
    expect(text).toContain('wireroom_worker_draining{worker="w1"} 1');
    expect(text).toContain('wireroom_worker_heartbeat_age_seconds{worker="w1"} 1.5');
    expect(text).toContain('wireroom_queue_jobs{queue="session-provision/w1",state="queued"} 4');
    expect(text).toContain('wireroom_queue_jobs{queue="session-provision/w1",state="active"} 1');
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it("a source that fails is left out of the scrape and reported; the others are still served", async () => {
    const failures: string[] = [];
    const registry = new Registry();
    snapshotMetrics(registry, {
      sessions: () => Promise.reject(new Error("database gone")),
      terminals: () => ({ terminals: 2, clients: 5 }),
      onError: (source, error) => failures.push(`${source}: ${(error as Error).message}`),
    });
    const text = await registry.metrics();
    expect(failures).toEqual(["sessions: database gone"]);
    expect(text).not.toMatch(/^wireroom_sessions\{/m);
    expect(text).toMatch(/^wireroom_terminals_open 2$/m);
    expect(text).toMatch(/^wireroom_terminal_clients 5$/m);
  });

  it("timed() records the duration with outcome ok or error, and rethrows", async () => {
    const count = async (outcome: string) =>
      (await checkSeconds.get()).values.find(
        (v) => v.metricName === "wireroom_check_seconds_count" && v.labels.kind === "submit" && v.labels.outcome === outcome,
      )?.value ?? 0;
    const [ok, error] = [await count("ok"), await count("error")];
    expect(await timed(checkSeconds, { kind: "submit" }, async () => 42)).toBe(42);
    await expect(timed(checkSeconds, { kind: "submit" }, () => Promise.reject(new Error("engine gone")))).rejects.toThrow(
      "engine gone",
    );
    expect([await count("ok"), await count("error")]).toEqual([ok + 1, error + 1]);
    expect(eventRegistry.getSingleMetric("wireroom_check_seconds")).toBe(checkSeconds);
  });

  it("an error's kind is a lower-case component name, anything else is other", () => {
    expect(errorKind("gateway")).toBe("gateway");
    expect(errorKind("session-api")).toBe("session-api");
    expect(errorKind(undefined)).toBe("other");
    expect(errorKind("3f2a9c1e-0000-4000-8000-000000000000")).toBe("other");
    expect(errorKind("x".repeat(40))).toBe("other");
  });
});
