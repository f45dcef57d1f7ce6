// plannedContainers against a transaction that changes between its two reads, as READ COMMITTED
// allows: the sessions it grouped may have been stopped by a worker before it reads a sample of their lab.
import { describe, expect, it } from "vitest";
import { findLab } from "~/core/labs/catalog";
import { sessionContainerCount } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { plannedContainers } from "./placement";

describe("plannedContainers", () => {
  it("counts a group whose sessions left the statuses it asked for between its two reads (a sample of any status will do)", async () => {
    const lab = findLab("bridge-basics")!;
    const columns = sessionLabColumns(lab);
    const stoppedMeanwhile = { id: "s1", labSlug: lab.slug, ...columns, status: "STOPPED" };
    const tx = {
      labSession: {
        groupBy: async () => [{ workerId: "w-a", labSlug: lab.slug, labHash: columns.labHash, _count: { _all: 3 } }],
        findFirst: async (args: { where: { status?: unknown } }) => (args.where.status ? null : stoppedMeanwhile),
      },
    };
    const planned = await plannedContainers(tx as never, { status: { in: ["READY"] } });
    expect(planned.get("w-a")).toEqual({ sessions: 3, containers: 3 * sessionContainerCount(lab) });
  });
});
