// The subscription's queue: what a consumer gets when it comes back, and what a consumer that
// stopped reading costs meanwhile.
import { describe, expect, it } from "vitest";
import { EventQueue, MAX_PENDING_IDS, type Batch } from "./eventQueue";

const tick = () => new Promise((resolve) => setImmediate(resolve));
const plain = (b: Batch) => ({ resync: b.resync, kinds: [...b.kinds].sort(), runIds: [...b.ids].sort() });

describe("EventQueue", () => {
  it("hands over what arrived while the consumer was busy in one coalesced batch, and ends on abort", async () => {
    const queue = new EventQueue();
    const abort = new AbortController();
    const batches: ReturnType<typeof plain>[] = [];
    const consumer = (async () => {
      for await (const batch of queue.batches(abort.signal)) {
        batches.push(plain(batch));
        if (batches.length === 2) abort.abort();
      }
    })();
    queue.push({ kind: "run", id: "r1" });
    queue.push({ kind: "result" });
    queue.push({ kind: "run", id: "r1" });
    await tick();
    queue.push({ kind: "status" });
    await consumer;
    expect(batches).toEqual([
      { resync: false, kinds: ["result", "run"], runIds: ["r1"] },
      { resync: false, kinds: ["status"], runIds: [] },
    ]);
  });

  it("stays bounded while nobody reads: 10,000 notifications, then one coalesced batch", async () => {
    const queue = new EventQueue();
    const kinds = ["status", "result", "submission"] as const;
    const runIds = Array.from({ length: 10 }, (_, i) => `r${i}`);
    for (let i = 0; i < 10_000; i++) {
      queue.push(i % 4 === 3 ? { kind: "run", id: runIds[Math.floor(i / 4) % 10]! } : { kind: kinds[i % 4]! });
      expect(queue.size).toBeLessThanOrEqual(4 + 10); // the kinds and the run ids, never the notifications
    }
    expect(queue.size).toBe(4 + 10);
    const abort = new AbortController();
    const { value } = await queue.batches(abort.signal).next();
    expect(plain(value as Batch)).toEqual({ resync: false, kinds: ["result", "run", "status", "submission"], runIds });
    expect(queue.size).toBe(0);
  });

  it("turns too many distinct runs, or a resync, into one resync (a full re-read) instead of growing", () => {
    const queue = new EventQueue();
    for (let i = 0; i < 10_000; i++) queue.push({ kind: "run", id: `r${i}` });
    expect(queue.size).toBe(1); // the resync flag only
    queue.push({ kind: "status" });
    expect(queue.size).toBe(1);
    expect(MAX_PENDING_IDS).toBeLessThan(10_000);
  });

  it("spreads a resync: the batch is handed over after the queue's random wait, with what arrived meanwhile", async () => {
    const queue = new EventQueue({ resyncSpreadMs: 2_000, random: () => 0.025 }); // waits 50 ms
    const abort = new AbortController();
    const started = Date.now();
    queue.push({ resync: true });
    const next = queue.batches(abort.signal).next();
    queue.push({ kind: "status" }); // covered by the re-read
    const { value } = await next;
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(plain(value as Batch)).toEqual({ resync: true, kinds: [], runIds: [] });
  });

  it("an abort during the resync wait ends the iteration at once", async () => {
    const queue = new EventQueue({ resyncSpreadMs: 60_000, random: () => 1 });
    const abort = new AbortController();
    queue.push({ resync: true });
    const next = queue.batches(abort.signal).next();
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it("holds a batch holdMs after its first change, so changes close together are one batch", async () => {
    const queue = new EventQueue<"session">({ holdMs: 60 });
    const abort = new AbortController();
    const started = Date.now();
    queue.push({ kind: "session", id: "s1" });
    const next = queue.batches(abort.signal).next();
    await tick();
    queue.push({ kind: "session", id: "s2" }); // within the hold: same batch
    const { value } = await next;
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect([...(value as Batch<"session">).ids].sort()).toEqual(["s1", "s2"]);
  });

  it("an abort during the hold ends the iteration at once", async () => {
    const queue = new EventQueue<"session">({ holdMs: 60_000 });
    const abort = new AbortController();
    queue.push({ kind: "session", id: "s1" });
    const next = queue.batches(abort.signal).next();
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});
