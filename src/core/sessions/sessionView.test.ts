import { describe, expect, it } from "vitest";
import type { LabSession } from "~/generated/prisma/client";
import { labSchema } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { DRIVER, OWNER, VIEWER } from "~/protocol/roles";
import { Status } from "~/protocol/sessionStatus";
import { toSessionView } from "./sessionView";

const playground = labSchema.parse({
  slug: "tour",
  title: "A tour",
  summary: "Compare the modes.",
  estimatedMinutes: 10,
  defaultTerminal: "host",
  containers: [
    { name: "closed", network: "none", about: "No network but `lo`: try `ifconfig`." },
    { name: "joined", network: "container:closed", about: "Shares closed's namespace." },
    { name: "plain", network: "bridge" },
  ],
});

function row(lab = playground): LabSession {
  const now = new Date();
  return {
    id: "8d0f7f4e-3b7a-4c36-9d7e-2f4a1f0b9c11",
    labSlug: lab.slug,
    ...sessionLabColumns(lab),
    status: Status.ready,
    statusReason: null,
    createdAt: now,
    expiresAt: now,
    engineView: null,
  } as unknown as LabSession;
}

describe("toSessionView: the container guide", () => {
  it("lists the lab's containers that say what they are, with their network mode, in the lab's order", () => {
    expect(toSessionView(row()).containerGuide).toEqual([
      { name: "closed", network: "none", about: "No network but `lo`: try `ifconfig`." },
      { name: "joined", network: "container:closed", about: "Shares closed's namespace." },
    ]);
  });

  it("is empty for a lab whose containers say nothing (the learner makes them)", () => {
    expect(toSessionView(row({ ...playground, containers: [] })).containerGuide).toEqual([]);
  });
});

describe("toSessionView: who ended a stopped session", () => {
  const stopped = (endReason: string | null) => ({ ...row(), status: Status.stopped, endReason }) as LabSession;

  it("tells the owner they ended it, and everyone else that the owner did", () => {
    expect(toSessionView(stopped("owner"), OWNER).statusReason).toBe("You ended this session.");
    expect(toSessionView(stopped("owner"), VIEWER).statusReason).toBe("The owner ended this session.");
    expect(toSessionView(stopped("owner"), DRIVER).statusReason).toBe("The owner ended this session.");
  });

  it("says when its time ran out, and nothing of its own for older rows or while it is stopping", () => {
    expect(toSessionView(stopped("expired"), VIEWER).statusReason).toBe("The session's time ran out, so it ended.");
    expect(toSessionView(stopped(null), VIEWER).statusReason).toBeNull();
    const stopping = { ...row(), status: Status.stopping, statusReason: "Removing", endReason: "owner" } as LabSession;
    expect(toSessionView(stopping, VIEWER).statusReason).toBe("Removing");
  });
});
