import "server-only";
import { z } from "zod";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { classBook } from "~/core/grades/classBook";
import { myGrades } from "~/core/grades/myGrades";
import { submissionDetail } from "~/core/grades/submissionDetail";

const actorOf = (learner: { id: string; role: "learner" | "instructor" | "admin" }) => ({ id: learner.id, role: learner.role });

export const gradesRouter = createTRPCRouter({
  /** A class's gradebook: its instructor or an admin. */
  classBook: learnerProcedure
    .input(z.object({ classId: z.uuid("classId must be a class id (a UUID)") }))
    .query(({ ctx, input }) => classBook({ db: ctx.db, actor: actorOf(ctx.learner), classId: input.classId })),

  /** One submission's checks: the learner who made it, or the class's instructor. */
  submission: learnerProcedure
    .input(z.object({ submissionId: z.uuid("submissionId must be a submission id (a UUID)") }))
    .query(({ ctx, input }) => submissionDetail({ db: ctx.db, actor: actorOf(ctx.learner), submissionId: input.submissionId })),

  /** My own gradebook, across classes and labs started on their own. */
  mine: learnerProcedure.query(({ ctx }) => myGrades({ db: ctx.db, actor: actorOf(ctx.learner) })),
});
