// The learner's home (issue 12, item 5): session.mine lists the sessions a learner started or
// joined by invite (running first, then recent ones), never another learner's; the home's live
// list (followMySessions) is sent again when the
// database announces a change of one of those sessions. No worker is needed: rows are written as
// the worker would write them. (The home's results are grades.mine, tested with the grades.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followMySessions } from "~/core/sessions/followMySessions";
import { MY_SESSIONS_LIMIT } from "~/core/sessions/listMySessions";
import { getSessionEvents } from "~/core/push/sessionEvents";
import { db, learner, within } from "../support/harness";

type Learner = Awaited<ReturnType<typeof learner>>;
let me: Learner;
let other: Learner;

const inOneHour = () => new Date(Date.now() + 60 * 60_000);

async function session(ownerId: string, status: "QUEUED" | "READY" | "STOPPING" | "STOPPED" | "FAILED", createdAt?: Date) {
  const { id } = await db().labSession.create({
    data: {
      labSlug: "bridge-basics",
      ownerId,
      status,
      expiresAt: inOneHour(),
      ...(createdAt ? { createdAt } : {}),
      ...(status === "STOPPED" ? { stoppedAt: new Date(), endReason: "owner" } : {}),
    },
  });
  return id;
}

beforeAll(async () => {
  [me, other] = await Promise.all([learner(), learner()]);
});

afterAll(async () => {
  await getSessionEvents(process.env.DATABASE_URL!).close();
});

describe("session.mine", () => {
  it("lists my sessions, running first (newest first), then ended ones; never another learner's", async () => {
    const oldStopped = await session(me.id, "STOPPED", new Date(Date.now() - 3 * 60_000));
    const running = await session(me.id, "READY", new Date(Date.now() - 2 * 60_000));
    const stopping = await session(me.id, "STOPPING", new Date(Date.now() - 60_000));
    const failed = await session(me.id, "FAILED");
    const theirs = await session(other.id, "READY");

    const mine = await me.api.session.mine();
    expect(mine.map((s) => s.id)).toEqual([stopping, running, failed, oldStopped]);
    expect(mine.map((s) => s.id)).not.toContain(theirs);
    const ready = mine.find((s) => s.id === running)!;
    expect(ready).toMatchObject({ labTitle: "Bridge basics", status: "READY", access: "owner", canStop: true, isSettled: false });
    expect(mine.find((s) => s.id === oldStopped)).toMatchObject({
      isSettled: true,
      canStop: false,
      statusReason: "You ended this session.",
    });

    const theirList = await other.api.session.mine();
    expect(theirList.map((s) => s.id)).toEqual([theirs]);
  });

  it("lists a session shared with me by invite as a driver (it has no Stop for me), and not once it is shared no more", async () => {
    const owner = await learner();
    const guest = await learner();
    const shared = await session(owner.id, "READY");
    const { path } = await owner.api.session.share({ sessionId: shared, role: "driver" });
    const invite = decodeURIComponent(new URL(path, "http://x").searchParams.get("invite")!);
    await guest.api.session.join({ invite });

    const listed = await guest.api.session.mine();
    expect(listed).toEqual([expect.objectContaining({ id: shared, access: "driver", canStop: false })]);
    // A stranger still sees none of it.
    expect((await (await learner()).api.session.mine()).map((s) => s.id)).not.toContain(shared);

    await db().sessionMember.deleteMany({ where: { sessionId: shared, userId: guest.id } });
    expect(await guest.api.session.mine()).toEqual([]);
  });

  it(`lists at most ${MY_SESSIONS_LIMIT}, keeping every running one`, async () => {
    const busy = await learner();
    const running = await session(busy.id, "READY", new Date(Date.now() - 24 * 60 * 60_000));
    await db().labSession.createMany({
      data: Array.from({ length: MY_SESSIONS_LIMIT + 5 }, () => ({
        labSlug: "bridge-basics",
        ownerId: busy.id,
        status: "STOPPED" as const,
        expiresAt: new Date(),
      })),
    });
    const listed = await busy.api.session.mine();
    expect(listed).toHaveLength(MY_SESSIONS_LIMIT);
    expect(listed[0]!.id).toBe(running);
  });

  it("refuses a caller without a cookie", async () => {
    const { createCaller } = await import("~/server/api/root");
    const { createTRPCContext } = await import("~/server/api/trpc");
    const anonymous = createCaller(await createTRPCContext({ headers: new Headers() }));
    await expect(anonymous.session.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("the home's live list (followMySessions)", () => {
  it("sends my sessions, then again when one of them changes (pushed by the database), and stops following at abort", async () => {
    const owner = await learner();
    const running = await session(owner.id, "READY");
    const abort = new AbortController();
    const topics = getSessionEvents(process.env.DATABASE_URL!);
    const stream = followMySessions({ db: db(), userId: owner.id, topics, signal: abort.signal });

    const first = await within(stream.next(), 10_000, "the first list");
    expect(first.value).toEqual([expect.objectContaining({ id: running, status: "READY" })]);

    // The teardown's status change reaches the stream through NOTIFY; the list is sent again.
    const next = stream.next();
    await db().labSession.update({
      where: { id: running },
      data: { status: "STOPPED", endReason: "expired", stoppedAt: new Date() },
    });
    const second = await within(next, 10_000, "the list after the session stopped");
    expect(second.value).toEqual([
      expect.objectContaining({
        id: running,
        status: "STOPPED",
        isSettled: true,
        statusReason: "The session's time ran out, so it ended.",
      }),
    ]);

    abort.abort();
    expect(await within(stream.next(), 5_000, "the end of the stream")).toMatchObject({ done: true });
  });

  it("takes its slot when first pulled and releases it at abort", async () => {
    const owner = await learner();
    let held = 0;
    const abort = new AbortController();
    const stream = followMySessions({
      db: db(),
      userId: owner.id,
      topics: getSessionEvents(process.env.DATABASE_URL!),
      signal: abort.signal,
      acquire: () => {
        held++;
        return () => held--;
      },
    });
    expect(held).toBe(0);
    expect((await within(stream.next(), 10_000, "the first list")).value).toEqual([]);
    expect(held).toBe(1);
    const parked = stream.next(); // nothing changes: parked until the abort
    abort.abort();
    expect(held).toBe(0);
    expect(await within(parked, 5_000, "the end after abort")).toMatchObject({ done: true });
  });
});
