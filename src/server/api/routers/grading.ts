import "server-only";
import { z } from "zod";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { getProgress } from "~/core/grading/getProgress";
import { requestCheck } from "~/core/grading/requestCheck";
import { requestSubmission } from "~/core/grading/requestSubmission";

export const gradingRouter = createTRPCRouter({
  progress: learnerProcedure
    .input(sessionIdInput)
    .query(({ ctx, input }) => getProgress({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId })),

  check: learnerProcedure
    .input(sessionIdInput.extend({ stepId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => requestCheck({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),

  submit: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => requestSubmission({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),
});
