import "server-only";
import { z } from "zod";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { getProgress } from "~/core/grading/getProgress";
import { requestCheck } from "~/core/grading/requestCheck";
import { requestSubmission } from "~/core/grading/requestSubmission";
import { revealSolution } from "~/core/grading/revealSolution";

/** The input of procedures that act on one step of a session. */
const stepInput = sessionIdInput.extend({
  stepId: z.string().min(1, "stepId must name one of the lab's steps").max(100, "stepId is at most 100 characters"),
});

export const gradingRouter = createTRPCRouter({
  progress: learnerProcedure
    .input(sessionIdInput)
    .query(({ ctx, input }) => getProgress({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId })),

  check: learnerProcedure
    .input(stepInput)
    .mutation(({ ctx, input }) => requestCheck({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),

  submit: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => requestSubmission({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),

  /** Shows a step's solution (owner or driver) and records it: every page of the session shows it, submissions say so. */
  revealSolution: learnerProcedure
    .input(stepInput)
    .mutation(({ ctx, input }) => revealSolution({ db: ctx.db, userId: ctx.learner.id, ...input })),
});
