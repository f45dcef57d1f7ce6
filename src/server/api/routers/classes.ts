import "server-only";
import { z } from "zod";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import type { Actor } from "~/core/access/classes";
import { assign } from "~/core/classes/assign";
import { MAX_EXTENSION_MINUTES, TIME_LIMIT_MINUTES } from "~/core/classes/assignmentRules";
import { createClass } from "~/core/classes/createClass";
import { getClass } from "~/core/classes/getClass";
import { PRINTABLE } from "~/core/accounts/displayName";
import { userIdSchema } from "~/core/accounts/userId";
import { MAX_CODE_DAYS, MIN_CODE_DAYS } from "~/core/classes/joinCode";
import { joinClass } from "~/core/classes/joinClass";
import { leaveClass } from "~/core/classes/leaveClass";
import { listClasses } from "~/core/classes/listClasses";
import { removeLearner } from "~/core/classes/removeLearner";
import { rotateCode } from "~/core/classes/rotateCode";
import { startAssignment } from "~/core/classes/startAssignment";
import { unassign } from "~/core/classes/unassign";
import { updateAssignment } from "~/core/classes/updateAssignment";

const actorOf = (learner: { id: string; role: Actor["role"] }): Actor => ({ id: learner.id, role: learner.role });

const whole = (name: string, min: number, max: number) => {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

const classIdInput = z.object({ classId: z.uuid("classId must be a class id (a UUID)") });
const assignmentIdInput = z.object({ assignmentId: z.uuid("assignmentId must be an assignment id (a UUID)") });
const codeDays = whole("codeDays (how many days the join code works)", MIN_CODE_DAYS, MAX_CODE_DAYS).optional();

const settings = {
  dueAt: z.date({ error: "dueAt must be a date and time" }).nullable().optional(),
  timeLimitMinutes: whole("timeLimitMinutes", TIME_LIMIT_MINUTES.min, TIME_LIMIT_MINUTES.max).nullable().optional(),
  extendAllowed: z.boolean({ error: "extendAllowed must be true or false" }).optional(),
  maxExtensionMinutes: whole("maxExtensionMinutes", MAX_EXTENSION_MINUTES.min, MAX_EXTENSION_MINUTES.max).optional(),
};

export const classesRouter = createTRPCRouter({
  /** An instructor or admin creates a class. */
  create: learnerProcedure
    .input(
      z.object({
        name: z
          .string({ error: "name is required" })
          .trim()
          .min(1, "A class needs a name, such as 'Networks 101 (Tuesday)'")
          .max(100, "A class name is at most 100 characters")
          .regex(PRINTABLE, "A class name is printable characters on one line (no control or invisible formatting characters)"),
        codeDays,
      }),
    )
    .mutation(({ ctx, input }) => createClass({ db: ctx.db, actor: actorOf(ctx.learner), ...input })),

  /** The classes I teach (an admin: all) and those I learn in. */
  list: learnerProcedure.query(({ ctx }) => listClasses({ db: ctx.db, actor: actorOf(ctx.learner) })),

  /** A class: the instructor's view or a learner's. */
  get: learnerProcedure
    .input(classIdInput)
    .query(({ ctx, input }) => getClass({ db: ctx.db, actor: actorOf(ctx.learner), classId: input.classId })),

  rotateCode: learnerProcedure
    .input(classIdInput.extend({ codeDays }))
    .mutation(({ ctx, input }) => rotateCode({ db: ctx.db, actor: actorOf(ctx.learner), ...input })),

  join: learnerProcedure
    .input(
      z.object({
        code: z
          .string({ error: "code is required" })
          .min(1, "Type the join code your instructor gave you, such as ABCDE-FGHJK")
          .max(40, "A join code has 10 letters and digits, such as ABCDE-FGHJK"),
      }),
    )
    .mutation(({ ctx, input }) => {
      const header = ctx.env.TRUSTED_CLIENT_IP_HEADER;
      const address = header ? ctx.headers.get(header)?.trim() || undefined : undefined;
      return joinClass({ db: ctx.db, actor: actorOf(ctx.learner), code: input.code, address });
    }),

  leave: learnerProcedure
    .input(classIdInput)
    .mutation(({ ctx, input }) => leaveClass({ db: ctx.db, actor: actorOf(ctx.learner), classId: input.classId })),

  removeLearner: learnerProcedure
    .input(classIdInput.extend({ userId: userIdSchema("userId names the learner to remove: an id from the class's roster") }))
    .mutation(({ ctx, input }) => removeLearner({ db: ctx.db, actor: actorOf(ctx.learner), ...input })),

  assign: learnerProcedure
    .input(classIdInput.extend({ labSlug: z.string().min(1, "labSlug names the lab to assign").max(100), ...settings }))
    .mutation(({ ctx, input }) => assign({ db: ctx.db, actor: actorOf(ctx.learner), ...input })),

  updateAssignment: learnerProcedure
    .input(assignmentIdInput.extend(settings))
    .mutation(({ ctx, input }) => updateAssignment({ db: ctx.db, actor: actorOf(ctx.learner), ...input })),

  unassign: learnerProcedure
    .input(assignmentIdInput)
    .mutation(({ ctx, input }) => unassign({ db: ctx.db, actor: actorOf(ctx.learner), assignmentId: input.assignmentId })),

  /** A learner of the class starts (or reopens) an assigned lab. */
  startAssignment: learnerProcedure.input(assignmentIdInput).mutation(({ ctx, input }) =>
    startAssignment({
      db: ctx.db,
      boss: ctx.boss,
      actor: actorOf(ctx.learner),
      assignmentId: input.assignmentId,
      ttlMinutes: ctx.env.SESSION_TTL_MINUTES,
      maxActivePerUser: ctx.env.MAX_ACTIVE_SESSIONS_PER_USER,
      maxActiveSessions: ctx.env.MAX_ACTIVE_SESSIONS,
      maxActiveContainers: ctx.env.MAX_ACTIVE_CONTAINERS,
      maxWaitingSessions: ctx.env.MAX_WAITING_SESSIONS,
      staleSeconds: ctx.env.WORKER_STALE_SECONDS,
    }),
  ),
});
