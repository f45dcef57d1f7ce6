// The push channel's fan-out, fed by a fake notification source: what reaches whom.
import { describe, expect, it } from "vitest";
import { CLASS_CHANNEL, createSessionEvents, LINE_CHANNEL, SESSION_CHANNEL, type SessionEvent } from "./sessionEvents";
import type { NotificationSource } from "./source";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

function fakeSource() {
  let handlers: Parameters<NotificationSource["start"]>[0] | undefined;
  let starts = 0;
  const source: NotificationSource = {
    start: (h) => {
      handlers = h;
      starts++;
    },
    close: async () => {},
  };
  return {
    source,
    starts: () => starts,
    notify: (payload: unknown, channel = SESSION_CHANNEL) =>
      handlers!.onNotification(channel, typeof payload === "string" ? payload : JSON.stringify(payload)),
    reconnected: () => handlers!.onResync(),
  };
}

function listen(events: ReturnType<typeof createSessionEvents>, sessionId: string) {
  const got: SessionEvent[] = [];
  const stop = events.subscribe(sessionId, (e) => got.push(e));
  return { got, stop };
}

describe("session events", () => {
  it("delivers a session's notifications to each of its subscribers only, from one source", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    const [a1, a2, b] = [listen(events, A), listen(events, A), listen(events, B)];
    fake.notify({ sessionId: A, kind: "status" });
    fake.notify({ sessionId: A, kind: "run", id: "r1" });
    fake.notify({ sessionId: B, kind: "submission", id: "s1" });
    expect(a1.got).toEqual([{ kind: "status" }, { kind: "run", id: "r1" }]);
    expect(a2.got).toEqual(a1.got);
    expect(b.got).toEqual([{ kind: "submission" }]);
    expect(fake.starts()).toBe(1); // one LISTEN connection, however many subscribers
  });

  it("stops delivering after unsubscribe, and ignores malformed payloads and other channels", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    const a = listen(events, A);
    fake.notify("not json");
    fake.notify({ sessionId: "nope", kind: "status" });
    fake.notify({ sessionId: A, kind: "run" }); // a run without its id
    fake.notify({ sessionId: A, kind: "status" }, "other_channel");
    expect(a.got).toEqual([]);
    a.stop();
    a.stop(); // twice is harmless
    fake.notify({ sessionId: A, kind: "status" });
    expect(a.got).toEqual([]);
  });

  it("asks every subscriber to re-read after the source reconnects (what it missed is lost)", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    const [a, b] = [listen(events, A), listen(events, B)];
    fake.reconnected();
    expect(a.got).toEqual([{ resync: true }]);
    expect(b.got).toEqual([{ resync: true }]);
  });

  it("a subscriber that throws does not stop the others", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    events.subscribe(A, () => {
      throw new Error("boom");
    });
    const a = listen(events, A);
    fake.notify({ sessionId: A, kind: "result" });
    expect(a.got).toEqual([{ kind: "result" }]);
  });
});

describe("class events", () => {
  const C = "00000000-0000-4000-8000-0000000000c1";
  const D = "00000000-0000-4000-8000-0000000000d1";

  it("a class's subscriber hears its sessions' changes (with the session and kind) and its own notifications, not another class's", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    const got: unknown[] = [];
    const other: unknown[] = [];
    events.subscribeClass(C, (e) => got.push(e));
    events.subscribeClass(D, (e) => other.push(e));
    const session = listen(events, A);
    fake.notify({ sessionId: A, kind: "status", classId: C });
    fake.notify({ sessionId: A, kind: "run", id: "r1", classId: C });
    fake.notify({ sessionId: B, kind: "status", classId: null }); // a lab started alone: no class hears it
    fake.notify({ classId: C, kind: "roster", userId: "u1" }, CLASS_CHANNEL);
    fake.notify({ classId: C, kind: "message", userId: null }, CLASS_CHANNEL);
    fake.notify({ classId: D, kind: "assignment" }, CLASS_CHANNEL);
    fake.notify({ classId: "nope", kind: "roster" }, CLASS_CHANNEL);
    expect(got).toEqual([
      { kind: "session", id: A, change: "status" },
      { kind: "session", id: A, change: "run" },
      { kind: "roster", userId: "u1" },
      { kind: "message", userId: null },
    ]);
    expect(other).toEqual([{ kind: "assignment", userId: null }]);
    expect(session.got).toEqual([{ kind: "status" }, { kind: "run", id: "r1" }]); // the session's own topic as before
    expect(fake.starts()).toBe(1);
    fake.reconnected();
    expect(got.at(-1)).toEqual({ resync: true });
  });
});

describe("the line's channel", () => {
  it("tells every subscriber of the line that it moved (no payload needed), and nothing to a session's page", () => {
    const fake = fakeSource();
    const events = createSessionEvents(fake.source);
    const line: unknown[] = [];
    const stop = events.subscribeLine((e) => line.push(e));
    const page = listen(events, A);
    fake.notify("", LINE_CHANNEL);
    expect(line).toEqual([{ kind: "line" }]);
    expect(page.got).toEqual([]);
    fake.reconnected();
    expect(line).toEqual([{ kind: "line" }, { resync: true }]);
    stop();
    fake.notify("", LINE_CHANNEL);
    expect(line).toHaveLength(2);
  });
});
