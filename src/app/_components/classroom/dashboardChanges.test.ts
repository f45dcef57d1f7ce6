import { describe, expect, it } from "vitest";
import type { DashboardRow, DashboardSession } from "~/core/classroom/dashboardRow";
import { Status } from "~/protocol/sessionStatus";
import { activityAgo, applyClassEvent, mayChangeClass, rowAnnouncements, tableAnnouncements } from "./dashboardChanges";

const session = (over: Partial<DashboardSession> = {}): DashboardSession => ({
  sessionId: "s1",
  status: Status.ready,
  currentStep: null,
  checksPassed: 0,
  checksTotal: 4,
  best: null,
  lastActivityAt: null,
  expiresAt: new Date(0),
  help: null,
  inProgress: false,
  isSettled: false,
  ...over,
});
const row = (key: string, s: DashboardSession | null = session()): DashboardRow => ({
  key,
  learnerId: key,
  learnerName: `name-${key}`,
  assignmentId: "a",
  labSlug: "lab",
  labTitle: "Bridges",
  session: s,
});

describe("applyClassEvent", () => {
  it("a table replaces everything; rows replace theirs by key and add new ones, in place", () => {
    const table = applyClassEvent(undefined, { type: "table", cause: "subscribe", className: "C", rows: [row("a"), row("b")] });
    const next = applyClassEvent(table, { type: "rows", rows: [row("b", session({ checksPassed: 2 })), row("c")] });
    expect(next.className).toBe("C");
    expect(next.rows.map((r) => [r.key, r.session?.checksPassed])).toEqual([
      ["a", 0],
      ["b", 2],
      ["c", 0],
    ]);
  });
});

describe("announcements", () => {
  it("says a raised and a cleared help, passed checks, a start and an end, by name", () => {
    const at = new Date();
    expect(rowAnnouncements(row("a"), row("a", session({ help: { raisedAt: at, message: "ping fails" } })))).toEqual([
      "name-a raised needs help: ping fails",
    ]);
    expect(rowAnnouncements(row("a", session({ help: { raisedAt: at, message: null } })), row("a"))).toEqual([
      "name-a no longer needs help",
    ]);
    expect(rowAnnouncements(row("a"), row("a", session({ checksPassed: 1 })))).toEqual([
      "name-a passed 1 of 4 checks in Bridges",
    ]);
    expect(rowAnnouncements(row("a", null), row("a"))).toEqual(["name-a started Bridges"]);
    expect(rowAnnouncements(row("a"), row("a", session({ isSettled: true, status: Status.stopped })))).toEqual([
      "name-a's Bridges session ended",
    ]);
    expect(rowAnnouncements(row("a"), row("a", session({ lastActivityAt: at })))).toEqual([]); // activity is not read out
  });

  it("says nothing for the first table", () => {
    expect(tableAnnouncements(undefined, { className: "C", rows: [row("a")] })).toEqual([]);
  });
});

describe("activityAgo", () => {
  it("in words", () => {
    const now = 10 * 3_600_000;
    expect(activityAgo(null, now)).toBe("no activity yet");
    expect(activityAgo(new Date(now - 30_000), now)).toBe("just now");
    expect(activityAgo(new Date(now - 4 * 60_000), now)).toBe("4 min ago");
    expect(activityAgo(new Date(now - 2 * 3_600_000), now)).toBe("2 h ago");
  });
});

describe("mayChangeClass", () => {
  const table = (cause: "subscribe" | "change" | "resync") => ({
    type: "table" as const,
    cause,
    className: "C",
    rows: [row("a")],
  });
  it("is true for a table sent after a class change or a resync, or re-sent on a new subscription; not for the first table or rows", () => {
    const first = applyClassEvent(undefined, table("subscribe"));
    expect(mayChangeClass(undefined, table("subscribe"))).toBe(false);
    expect(mayChangeClass(first, { type: "rows", rows: [row("a")] })).toBe(false);
    expect(mayChangeClass(first, table("change"))).toBe(true);
    expect(mayChangeClass(first, table("resync"))).toBe(true);
    expect(mayChangeClass(first, table("subscribe"))).toBe(true); // the stream came back after a drop
  });
});
