import { randomUUID } from "node:crypto";
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import type { Boss } from "~/core/jobs/boss";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { labPoints } from "~/core/labs/schema";
import { RunKind } from "~/protocol/checkRun";
import { maySubmit } from "~/protocol/roles";
import { advisoryXactLock, LOCKED_TRANSACTION, LOCKS } from "../advisoryLock";
import { runningLab } from "./runningLab";

/** The least time between two Submissions of one session. */
export const SUBMIT_INTERVAL_MS = 10_000;

/**
 * "Submit": the worker grades the lab, writes the Submission and ends the run; the page waits for
 * the run (its id is the Submission's). Per session, one submission is graded at a time (queue
 * policy `exclusive`) and a new one waits SUBMIT_INTERVAL_MS after the last. Both are decided under
 * a lock on the session, job first: a finished job has written its Submission, so the interval sees
 * it; the refused job rolls back, and its run with it.
 */
export async function requestSubmission(options: {
  db: Db;
  boss: Boss;
  userId: string;
  sessionId: string;
}): Promise<{ runId: string }> {
  const { session, lab } = await runningLab(
    options,
    maySubmit,
    "Only the learner who started this lab can submit it; invited learners can run checks.",
  );
  if (labPoints(lab) === 0) throw new AppError("BAD_REQUEST", "This lab is a playground: it has nothing to grade.");
  const runId = randomUUID();
  const { sessionId } = options;
  await options.db.$transaction(async (tx) => {
    await advisoryXactLock(tx, LOCKS.sessionSubmit, sessionId);
    const id = await enqueueUnlessInFlight(
      options.boss,
      "submitSession",
      { sessionId, userId: options.userId, requestId: runId },
      { tx, workerId: session.workerId },
    );
    if (!id) {
      throw new AppError(
        "LIMIT_EXCEEDED",
        "Your submission is being graded; its score appears in a moment. Submit again after it if you have changed something.",
      );
    }
    const last = await tx.submission.findFirst({
      where: { sessionId },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const elapsed = last ? Date.now() - last.createdAt.getTime() : Infinity;
    if (elapsed < SUBMIT_INTERVAL_MS) {
      const ago = Math.max(0, Math.floor(elapsed / 1000));
      const wait = Math.max(1, Math.ceil((SUBMIT_INTERVAL_MS - elapsed) / 1000));
      throw new AppError("LIMIT_EXCEEDED", `You submitted ${ago} s ago; try again in ${wait} s.`);
    }
    await tx.checkRun.create({ data: { id: runId, sessionId, kind: RunKind.submit, requestedBy: options.userId } });
  }, LOCKED_TRANSACTION);
  return { runId };
}
