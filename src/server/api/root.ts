import "server-only";
import { accountRouter } from "~/server/api/routers/account";
import { adminRouter } from "~/server/api/routers/admin";
import { captureRouter } from "~/server/api/routers/capture";
import { classesRouter } from "~/server/api/routers/classes";
import { gradesRouter } from "~/server/api/routers/grades";
import { classroomRouter } from "~/server/api/routers/classroom";
import { gradingRouter } from "~/server/api/routers/grading";
import { labRouter } from "~/server/api/routers/lab";
import { liveRouter } from "~/server/api/routers/live";
import { linksRouter } from "~/server/api/routers/links";
import { sessionRouter } from "~/server/api/routers/session";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  lab: labRouter,
  session: sessionRouter,
  grading: gradingRouter,
  live: liveRouter,
  classroom: classroomRouter,
  classes: classesRouter,
  grades: gradesRouter,
  account: accountRouter,
  admin: adminRouter,
  capture: captureRouter,
  links: linksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
