import { describe, expect, it } from "vitest";
import { findLab } from "./catalog";
import { labSchema } from "./schema";
import { canonicalJson, labHashOf, labOfSession, NO_STORED_SOLUTION, requireLabOfSession, sessionLabColumns } from "./sessionLab";

const lab = labSchema.parse({
  slug: "stored",
  title: "The lab as it was at start",
  summary: "s",
  estimatedMinutes: 5,
  containers: [{ name: "busybox1" }],
  defaultTerminal: "busybox1",
});
// What PostgreSQL's JSONB gives back: the same values, keys in its own order.
const roundTrip = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ),
  ) as unknown;
const row = (over: Partial<{ lab: unknown; labHash: string | null; labSlug: string }> = {}) => ({
  id: "5f0c7a4e-0000-4000-8000-000000000001",
  labSlug: "stored",
  ...sessionLabColumns(lab),
  ...over,
});

describe("the lab stored on a session", () => {
  it("hashes the same content the same, whatever the order of its keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(JSON.stringify(roundTrip(lab))).not.toBe(JSON.stringify(lab));
    expect(labHashOf(roundTrip(lab))).toBe(labHashOf(lab));
    expect(labHashOf({ ...lab, title: "Edited" })).not.toBe(labHashOf(lab));
  });

  it("is what the session reads, parsed with the lab schema", () => {
    expect(labOfSession(row({ lab: roundTrip(lab) }))).toEqual(lab);
  });

  it("reads a lab stored before steps had solutions (a lab-wide solve script, no step solution)", () => {
    const old = {
      ...lab,
      steps: [{ id: "one", title: "One", instructions: "Do it", checks: [{ id: "c", kind: "network", description: "d", points: 1, failure: "f", name: "mynet" }] }],
      solve: [{ container: "busybox1", run: "true" }],
    };
    const read = labOfSession(row({ lab: old, labHash: labHashOf(old) }));
    expect(read?.steps[0]?.solution).toBe(NO_STORED_SOLUTION);
    expect(read).not.toHaveProperty("solve");
  });

  it("is an error naming the session when it does not parse, or does not match its hash", () => {
    const broken = { ...lab, containers: "busybox1" };
    expect(() => labOfSession(row({ lab: broken, labHash: labHashOf(broken) }))).toThrow(
      /^session 5f0c7a4e-0000-4000-8000-000000000001 has a malformed stored lab: .*containers/s,
    );
    expect(() => labOfSession(row({ lab: { ...lab, title: "Tampered" } }))).toThrow(/5f0c7a4e-.* has a malformed stored lab: its content hashes to [0-9a-f]{64}, not the stored/);
    expect(() => labOfSession(row({ labHash: null }))).toThrow(/has a lab but no labHash/);
  });

  it("for a row from before labs were stored, is the catalog's lab of that slug, or none when it is no longer offered", () => {
    expect(labOfSession(row({ lab: null, labHash: null, labSlug: "network-modes" }))).toBe(findLab("network-modes"));
    expect(findLab("network-modes")).toBeDefined();
    expect(labOfSession(row({ lab: null, labHash: null, labSlug: "gone" }))).toBeUndefined();
    expect(() => requireLabOfSession(row({ lab: null, labHash: null, labSlug: "gone" }))).toThrow(/predates stored labs and the lab "gone" is no longer offered/);
  });
});
