// A live stream holds its fan-out subscription and its slot only while it runs: never started,
// returned, ended, failed or aborted (even while parked at a yield nobody pulls), it holds nothing.
import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import type { EventQueue } from "./eventQueue";
import { Fanout } from "./fanout";
import { liveStream, MAX_STREAMS_PER_SESSION, MAX_STREAMS_PER_USER, StreamLimits } from "./liveStream";
import type { SessionEvent } from "./sessionEvents";

const S = "session-1";

function setup() {
  const fanout = new Fanout<SessionEvent>();
  const limits = new StreamLimits({ perUser: 2, perSession: 3 });
  const open = (signal?: AbortSignal, user = "u1", body = echo) =>
    liveStream({
      signal,
      acquire: () => limits.acquire(user, S),
      subscribe: (listener) => fanout.subscribe(S, listener),
      body,
    });
  const held = () => ({
    subscribers: fanout.subscriberCount,
    user: limits.count({ userId: "u1" }),
    session: limits.count({ sessionId: S }),
  });
  return { fanout, limits, open, held };
}

/** Yields "hello", then the kinds of each batch. */
async function* echo(queue: EventQueue): AsyncGenerator<string> {
  yield "hello";
  for await (const batch of queue.batches(undefined)) yield [...batch.kinds].join(",");
}

const none = { subscribers: 0, user: 0, session: 0 };

describe("liveStream", () => {
  it("holds nothing when never started, even if returned (return() on an unstarted generator skips finally)", async () => {
    const { open, held } = setup();
    const stream = open(new AbortController().signal);
    expect(held()).toEqual(none);
    await stream.return(undefined);
    expect(held()).toEqual(none);
  });

  it("holds nothing when the signal aborted before the first pull", async () => {
    const { open, held } = setup();
    const abort = new AbortController();
    const stream = open(abort.signal);
    abort.abort();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(held()).toEqual(none);
  });

  it("subscribes on the first pull (before the body reads), delivers, and releases on return()", async () => {
    const { fanout, open, held } = setup();
    const stream = open(new AbortController().signal);
    expect(await stream.next()).toEqual({ done: false, value: "hello" });
    expect(held()).toEqual({ subscribers: 1, user: 1, session: 1 });
    fanout.publish(S, { kind: "status" });
    expect(await stream.next()).toEqual({ done: false, value: "status" });
    await stream.return(undefined);
    expect(held()).toEqual(none);
  });

  it("releases at once when the signal aborts while the stream is parked at a yield nobody pulls", async () => {
    const { fanout, open, held } = setup();
    const abort = new AbortController();
    const stream = open(abort.signal);
    await stream.next();
    expect(held().subscribers).toBe(1);
    abort.abort(); // the generator is suspended: its finally has not run, the abort listener releases
    expect(held()).toEqual(none);
    fanout.publish(S, { kind: "status" }); // reaches no one
    expect(fanout.subscriberCount).toBe(0);
  });

  it("releases when the body fails", async () => {
    const { open, held } = setup();
    const stream = open(undefined, "u1", async function* () {
      yield "x";
      throw new Error("NOT_FOUND");
    });
    await stream.next();
    await expect(stream.next()).rejects.toThrow("NOT_FOUND");
    expect(held()).toEqual(none);
  });

  it("refuses a stream over the limit on its first pull, holding nothing for it", async () => {
    const { open, held } = setup();
    const [a, b] = [open(), open()];
    await a.next();
    await b.next();
    const c = open();
    await expect(c.next()).rejects.toThrow(/2 live session pages open already.*close other tabs/);
    expect(held()).toEqual({ subscribers: 2, user: 2, session: 2 });
    await a.return(undefined);
    await expect(open().next()).resolves.toEqual({ done: false, value: "hello" });
  });
});

describe("StreamLimits", () => {
  it("counts per user and per session, refuses beyond either with LIMIT_EXCEEDED saying what to do, and releases once", () => {
    const limits = new StreamLimits({ perUser: 2, perSession: 3 });
    const r1 = limits.acquire("u1", "s1");
    limits.acquire("u1", "s2");
    const refusedUser = (() => {
      try {
        limits.acquire("u1", "s3");
      } catch (error) {
        return error;
      }
    })();
    expect(refusedUser).toBeInstanceOf(AppError);
    expect(refusedUser).toMatchObject({
      code: "LIMIT_EXCEEDED",
      message: expect.stringMatching(/2 live session pages.*close other tabs/),
    });
    expect(limits.count({ userId: "u1" })).toBe(2);

    limits.acquire("u2", "s1");
    limits.acquire("u3", "s1");
    expect(() => limits.acquire("u4", "s1")).toThrow(/This session has 3 live pages open already/);
    expect(limits.count({ sessionId: "s1" })).toBe(3);

    r1();
    r1(); // twice is harmless
    expect(limits.count({ userId: "u1" })).toBe(1);
    expect(limits.count({ sessionId: "s1" })).toBe(2);
    expect(() => limits.acquire("u1", "s3")).not.toThrow();
  });

  it("defaults to the documented limits", () => {
    const limits = new StreamLimits();
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) limits.acquire("u", `s${i}`);
    expect(() => limits.acquire("u", "another")).toThrow(`${MAX_STREAMS_PER_USER} live session pages`);
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) limits.acquire(`u${i}`, "s");
    expect(() => limits.acquire("someone", "s")).toThrow(`${MAX_STREAMS_PER_SESSION} live pages`);
  });
});
