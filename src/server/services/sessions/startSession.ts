import { randomBytes } from "node:crypto";
import { catalog, findLab } from "~/server/labs/catalog";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import type { Boss } from "~/server/queue/boss";
import { enqueue } from "~/server/queue/enqueue";
import { ACTIVE_STATUSES, toSessionView, type SessionView } from "./sessionView";

/** Creates the session row and its provision job in one transaction. */
export async function startSession(options: {
  db: Db;
  boss: Boss;
  userId: string;
  labSlug: string;
  ttlMinutes: number;
  maxActivePerUser: number;
}): Promise<SessionView> {
  const { db, boss, userId, labSlug } = options;
  const lab = findLab(labSlug);
  if (!lab) {
    throw new AppError(
      "NOT_FOUND",
      `There is no lab called "${labSlug}". Available labs: ${catalog().labs.map((l) => l.slug).join(", ")}.`,
    );
  }
  const active = await db.labSession.count({ where: { ownerId: userId, status: { in: ACTIVE_STATUSES } } });
  if (active >= options.maxActivePerUser) {
    throw new AppError(
      "LIMIT_EXCEEDED",
      `You already have ${active} running lab sessions (the limit is ${options.maxActivePerUser}). Stop one to start another.`,
    );
  }
  const session = await db.$transaction(async (tx) => {
    const row = await tx.labSession.create({
      data: {
        labSlug: lab.slug,
        ownerId: userId,
        statusReason: "Waiting for a lab host",
        expiresAt: new Date(Date.now() + options.ttlMinutes * 60_000),
        // Randomised per session, so one learner's answers cannot be pasted into another's lab.
        params: { token: randomBytes(4).toString("hex") },
      },
    });
    await enqueue(boss, "provisionSession", { sessionId: row.id }, { tx });
    return row;
  });
  return toSessionView(session);
}
