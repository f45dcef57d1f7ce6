// The LISTEN connection, with fake clients: a resync after every successful LISTEN (the first
// included), and a heartbeat that takes the reconnect path when the connection stops answering.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pgNotificationSource, type ListenClient } from "./pgSource";
import { captureLogs } from "../../../test/support/logLines";

type Fake = EventEmitter & { queries: string[]; ended: boolean; answer: "ok" | "hang" | "fail" };

function fakeClients() {
  const made: Fake[] = [];
  const createClient = () => {
    const c = Object.assign(new EventEmitter(), { queries: [] as string[], ended: false, answer: "ok" as Fake["answer"] });
    Object.assign(c, {
      connect: async () => {},
      query: (text: string) => {
        c.queries.push(text);
        if (c.answer === "hang") return new Promise(() => {});
        return c.answer === "fail" ? Promise.reject(new Error("connection reset")) : Promise.resolve({ rows: [] });
      },
      end: async () => {
        c.ended = true;
      },
    });
    made.push(c);
    return c as unknown as ListenClient;
  };
  return { made, createClient };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("pgNotificationSource", () => {
  it("asks for a resync after the first LISTEN, and after each reconnect's LISTEN", async () => {
    vi.useFakeTimers();
    captureLogs({ quiet: true }); // the reconnect is logged; not this test's subject
    const { made, createClient } = fakeClients();
    const onResync = vi.fn();
    const onNotification = vi.fn();
    const source = pgNotificationSource("postgres://x", ["wireroom_session"], { createClient });
    source.start({ onResync, onNotification });
    await flush();
    expect(made[0]!.queries).toEqual(['LISTEN "wireroom_session"']);
    expect(onResync).toHaveBeenCalledTimes(1);

    made[0]!.emit("notification", { channel: "wireroom_session", payload: "{}" });
    expect(onNotification).toHaveBeenCalledWith("wireroom_session", "{}");

    made[0]!.emit("error", new Error("terminated"));
    expect(made[0]!.ended).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(made).toHaveLength(2);
    expect(onResync).toHaveBeenCalledTimes(2);
    await source.close();
    expect(made[1]!.ended).toBe(true);
  });

  it("does not resync while LISTEN fails; retries, and resyncs once it succeeds", async () => {
    vi.useFakeTimers();
    captureLogs({ quiet: true }); // the reconnect is logged; not this test's subject
    const { made, createClient } = fakeClients();
    const onResync = vi.fn();
    let attempt = 0;
    const source = pgNotificationSource("postgres://x", ["c"], {
      createClient: () => {
        const c = createClient();
        if (attempt++ === 0) made[0]!.answer = "fail";
        return c;
      },
    });
    source.start({ onResync, onNotification: () => {} });
    await flush();
    expect(onResync).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(250);
    expect(made).toHaveLength(2);
    expect(onResync).toHaveBeenCalledTimes(1);
    await source.close();
  });

  it("a heartbeat that times out (half-open connection) or fails takes the reconnect path", async () => {
    vi.useFakeTimers();
    captureLogs({ quiet: true }); // the reconnect is logged; not this test's subject
    const { made, createClient } = fakeClients();
    const onResync = vi.fn();
    const source = pgNotificationSource("postgres://x", ["c"], { createClient });
    source.start({ onResync, onNotification: () => {} });
    await flush();

    await vi.advanceTimersByTimeAsync(30_000);
    expect(made[0]!.queries).toEqual(['LISTEN "c"', "SELECT 1"]); // answered: nothing else happens
    expect(made).toHaveLength(1);

    made[0]!.answer = "hang";
    await vi.advanceTimersByTimeAsync(30_000 + 10_000);
    expect(made[0]!.ended).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(made).toHaveLength(2);
    expect(onResync).toHaveBeenCalledTimes(2);

    made[1]!.answer = "fail";
    await vi.advanceTimersByTimeAsync(30_000);
    expect(made[1]!.ended).toBe(true);
    made.forEach((c) => c.queries.splice(0));
    await source.close();
    await vi.advanceTimersByTimeAsync(120_000); // closed: no reconnect, no heartbeat
    expect(made).toHaveLength(2);
    expect(made.flatMap((c) => c.queries)).toEqual([]);
  });
});
