// live.session through the router, with a fake database and fan-out: a stream holds its fan-out
// subscription and its slot only while it runs (never started or aborted: nothing), and a user's
// streams beyond the limit are refused with TOO_MANY_REQUESTS.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fanout } from "~/core/push/fanout";
import { MAX_STREAMS_PER_USER } from "~/core/push/liveStream";
import type { SessionEvent, SessionEvents } from "~/core/push/sessionEvents";
import type { TRPCContext } from "~/server/api/trpc";
import { liveRouter } from "./live";

const SESSION = "00000000-0000-4000-8000-00000000000a";
const USER = "user-1";

const fanout = new Fanout<SessionEvent>();
const globalForPush = globalThis as unknown as { wireroomSessionEvents?: SessionEvents };
let before: SessionEvents | undefined;
beforeAll(() => {
  before = globalForPush.wireroomSessionEvents;
  globalForPush.wireroomSessionEvents = {
    subscribe: (id, listener) => fanout.subscribe(id, listener),
    subscribeClass: () => () => {},
    subscribeLine: () => () => {},
    close: async () => {},
  };
});
afterAll(() => {
  globalForPush.wireroomSessionEvents = before;
});

/** The access check answers at once; once `hold` is set, reads inside the stream wait (a stream parked mid-read). */
let hold: Promise<never> | undefined;
const db = {
  labSession: {
    findUnique: async () => {
      if (hold) await hold;
      return { id: SESSION, ownerId: USER, pooledAt: null, members: [] };
    },
  },
};
const ctx = { db, learner: { id: USER, handle: "u" }, env: { DATABASE_URL: "postgres://unused" } } as unknown as TRPCContext;

async function open(signal: AbortSignal) {
  hold = undefined;
  const iterable = await liveRouter.createCaller(ctx, { signal }).session({ sessionId: SESSION });
  hold = new Promise<never>(() => {});
  return iterable[Symbol.asyncIterator]();
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("live.session", () => {
  it("a stream whose generator is never started leaves no subscriber, even when returned", async () => {
    const stream = await open(new AbortController().signal);
    expect(fanout.subscriberCount).toBe(0);
    await stream.return?.();
    expect(fanout.subscriberCount).toBe(0);
  });

  it("a started stream is subscribed before it reads the current state; its abort unsubscribes at once", async () => {
    const abort = new AbortController();
    const stream = await open(abort.signal);
    void stream.next().catch(() => {}); // parked reading the session
    await tick();
    expect(fanout.subscriberCount).toBe(1);
    abort.abort();
    expect(fanout.subscriberCount).toBe(0);
  });

  it(`refuses a user's stream beyond ${MAX_STREAMS_PER_USER} with TOO_MANY_REQUESTS, and frees the slots on abort`, async () => {
    const abort = new AbortController();
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) void (await open(abort.signal)).next().catch(() => {});
    await tick();
    expect(fanout.subscriberCount).toBe(MAX_STREAMS_PER_USER);
    const refused = await (await open(abort.signal)).next().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/close other tabs/) });
    abort.abort();
    expect(fanout.subscriberCount).toBe(0);

    const again = new AbortController();
    void (await open(again.signal)).next().catch(() => {});
    await tick();
    expect(fanout.subscriberCount).toBe(1); // the slots came back
    again.abort();
    expect(fanout.subscriberCount).toBe(0);
  });
});
