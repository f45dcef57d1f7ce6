import "server-only";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { issueCaptureToken } from "~/core/sessions/issueCaptureToken";

export const captureRouter = createTRPCRouter({
  /** A 60 s token for the session's worker's /capture namespace (members and the class's instructor). */
  token: learnerProcedure.input(sessionIdInput).mutation(({ ctx, input }) =>
    issueCaptureToken({
      db: ctx.db,
      secret: ctx.env.TERMINAL_TOKEN_SECRET,
      fallbackWorkerUrl: ctx.env.WORKER_PUBLIC_URL,
      userId: ctx.learner.id,
      handle: ctx.learner.handle,
      sessionId: input.sessionId,
    }),
  ),
});
