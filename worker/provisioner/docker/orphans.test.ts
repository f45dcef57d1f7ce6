import { describe, expect, it } from "vitest";
import { Status, type SessionStatus } from "~/protocol/sessionStatus";
import { isSessionId, whyOrphan, type LabelledObject, type OrphanRule } from "./orphans";

const OURS = "11111111-1111-4111-8111-111111111111";
const FOREIGN = "22222222-2222-4222-8222-222222222222";
const LIVE = "33333333-3333-4333-8333-333333333333";
const STOPPED = "44444444-4444-4444-8444-444444444444";
const FAILED = "55555555-5555-4555-8555-555555555555";
const UNKNOWN = "66666666-6666-4666-8666-666666666666";
const STOPPING = "77777777-7777-4777-8777-777777777777";
const now = new Date("2026-11-29T00:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

const statuses = new Map<string, SessionStatus>([
  [LIVE, Status.ready],
  [STOPPED, Status.stopped],
  [FAILED, Status.failed],
  [STOPPING, Status.stopping],
]);
const rule: OrphanRule = { installationId: OURS, statuses, now, graceSeconds: 600 };

const object = (over: Partial<LabelledObject>): LabelledObject => ({
  kind: "container",
  id: "c1",
  name: "wireroom-x-busybox1",
  installation: OURS,
  session: UNKNOWN,
  createdAt: minutesAgo(60),
  ...over,
});

describe("whyOrphan", () => {
  it("names another installation's objects, of any session, once past the grace", () => {
    expect(whyOrphan(object({ installation: FOREIGN }), rule)).toBe("another installation");
    expect(whyOrphan(object({ installation: FOREIGN, session: STOPPED }), rule)).toBe("another installation");
    expect(whyOrphan(object({ installation: FOREIGN, kind: "network" }), rule)).toBe("another installation");
  });

  it("names our objects of sessions unknown, stopped or failed here, or with no session label", () => {
    expect(whyOrphan(object({ session: UNKNOWN }), rule)).toBe("session unknown here");
    expect(whyOrphan(object({ session: STOPPED }), rule)).toBe("session stopped here");
    expect(whyOrphan(object({ session: FAILED }), rule)).toBe("session failed here");
    expect(whyOrphan(object({ session: undefined }), rule)).toBe("no session label");
    expect(whyOrphan(object({ installation: undefined, session: UNKNOWN }), rule)).toBe("session unknown here");
  });

  it("never names an object of a session live here (stopping included), whatever its installation label", () => {
    expect(whyOrphan(object({ session: LIVE }), rule)).toBeUndefined();
    expect(whyOrphan(object({ session: STOPPING }), rule)).toBeUndefined();
    expect(whyOrphan(object({ session: LIVE, installation: FOREIGN }), rule)).toBeUndefined();
  });

  it("leaves objects younger than the grace; a grace of 0 takes everything else", () => {
    expect(whyOrphan(object({ installation: FOREIGN, createdAt: minutesAgo(9) }), rule)).toBeUndefined();
    expect(whyOrphan(object({ installation: FOREIGN, createdAt: minutesAgo(10) }), rule)).toBe("another installation");
    expect(whyOrphan(object({ installation: FOREIGN, createdAt: now }), { ...rule, graceSeconds: 0 })).toBe(
      "another installation",
    );
  });

  it("with --installation, considers only those installations' objects", () => {
    const only = { ...rule, only: new Set([FOREIGN]) };
    expect(whyOrphan(object({ installation: FOREIGN }), only)).toBe("another installation");
    expect(whyOrphan(object({ session: UNKNOWN }), only)).toBeUndefined();
    expect(whyOrphan(object({ installation: undefined }), only)).toBeUndefined();
  });
});

describe("isSessionId", () => {
  it("accepts only a uuid (never a path)", () => {
    expect(isSessionId(LIVE)).toBe(true);
    for (const bad of [undefined, "", "..", "../etc", `${LIVE}/..`, "AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA"])
      expect(isSessionId(bad), bad).toBe(false);
  });
});
