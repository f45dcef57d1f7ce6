import "server-only";
import { gradingRouter } from "~/server/api/routers/grading";
import { labRouter } from "~/server/api/routers/lab";
import { liveRouter } from "~/server/api/routers/live";
import { sessionRouter } from "~/server/api/routers/session";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  lab: labRouter,
  session: sessionRouter,
  grading: gradingRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
