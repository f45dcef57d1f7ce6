import { describe, expect, it } from "vitest";
import type { Orphan } from "../worker/provisioner/docker/orphans";
import { dryRunSummary, formatAge, orphanTable, reapSummary } from "./reapOrphansReport";

const orphan = (over: Partial<Orphan>): Orphan => ({
  kind: "container",
  id: "x",
  name: "wireroom-s-busybox1",
  installation: "inst-a",
  session: "sess-1",
  createdAt: new Date(0),
  ageSeconds: 3 * 3600 + 7 * 60,
  why: "another installation",
  ...over,
});

describe("the reaper's report", () => {
  it("ages read as seconds, minutes, hours or days", () => {
    expect([0, 45, 725, 3 * 3600 + 7 * 60 + 5, 2 * 86_400 + 4 * 3600].map(formatAge)).toEqual([
      "0s",
      "45s",
      "12m05s",
      "3h07m",
      "2d04h",
    ]);
  });

  it("a table with a header and aligned columns", () => {
    const table = orphanTable([
      orphan({}),
      orphan({ kind: "network", name: "n", installation: undefined, why: "session unknown here" }),
    ]);
    expect(table.split("\n")).toEqual([
      "KIND       NAME                 INSTALLATION  SESSION  AGE    WHY",
      "container  wireroom-s-busybox1  inst-a        sess-1   3h07m  another installation",
      "network    n                    -             sess-1   3h07m  session unknown here",
    ]);
  });

  it("summaries count what would go and what went", () => {
    const scope = { installationId: "ours", graceMinutes: 10 };
    expect(dryRunSummary([orphan({}), orphan({ kind: "network" })], [], scope)).toBe(
      "dry run: 1 container and 1 network would be removed (older than 10 min; this database's installation is ours); nothing was removed",
    );
    expect(
      reapSummary(
        { removed: [orphan({}), orphan({})], folders: ["s"], failed: [{ orphan: orphan({ kind: "network" }), error: "busy" }] },
        { ...scope, filesDir: "/srv" },
      ),
    ).toBe(
      "removed 2 containers and 0 networks and 1 session folder (older than 10 min; this database's installation is ours); 0 containers and 1 network could not be removed",
    );
  });
});
