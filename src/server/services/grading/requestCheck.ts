import { randomUUID } from "node:crypto";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { findLab } from "~/server/labs/catalog";
import type { Boss } from "~/server/queue/boss";
import { enqueue } from "~/server/queue/enqueue";
import { labPoints } from "~/shared/labs";
import { getSessionAccess } from "../sessions/getSessionAccess";

async function runningLab(options: { db: Db; userId: string; sessionId: string }, allowed: string[]) {
  const { session, access } = await getSessionAccess(options);
  if (!allowed.includes(access)) throw new AppError("FORBIDDEN", "Watchers cannot run checks or submit; the lab's owner can.");
  if (session.status !== "READY") throw new AppError("CONFLICT", "The lab is not running: checks need its containers.");
  const lab = findLab(session.labSlug);
  if (!lab) throw new AppError("NOT_FOUND", `The lab "${session.labSlug}" is no longer offered.`);
  return { session, lab };
}

/** "Check" on a step: its checks run on the worker; results appear in the session's progress. */
export async function requestCheck(options: { db: Db; boss: Boss; userId: string; sessionId: string; stepId: string }) {
  const { lab } = await runningLab(options, ["owner", "driver", "instructor"]);
  if (!lab.steps.some((s) => s.id === options.stepId)) {
    throw new AppError("NOT_FOUND", `This lab has no step "${options.stepId}". Steps: ${lab.steps.map((s) => s.id).join(", ")}.`);
  }
  await enqueue(options.boss, "checkStep", { sessionId: options.sessionId, stepId: options.stepId });
  return { stepId: options.stepId, requestedAt: new Date() };
}

/** "Submit": the worker grades the lab and writes the Submission; the client waits for it to appear. */
export async function requestSubmission(options: { db: Db; boss: Boss; userId: string; sessionId: string }) {
  const { lab } = await runningLab(options, ["owner"]);
  if (labPoints(lab) === 0) throw new AppError("BAD_REQUEST", "This lab is a playground: it has nothing to grade.");
  const requestId = randomUUID();
  await enqueue(options.boss, "submitSession", { sessionId: options.sessionId, userId: options.userId, requestId });
  return { requestId };
}
