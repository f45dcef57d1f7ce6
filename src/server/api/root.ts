import { gradingRouter } from "~/server/api/routers/grading";
import { labRouter } from "~/server/api/routers/lab";
import { sessionRouter } from "~/server/api/routers/session";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  lab: labRouter,
  session: sessionRouter,
  grading: gradingRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
