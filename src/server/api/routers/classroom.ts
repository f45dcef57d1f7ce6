// The classroom's actions on class sessions (issue 12): the learner's "needs help", extending
// time, and the instructor's messages, resets and ends. Each calls one core service in
// src/core/classroom/, which checks access through src/core/access/.
import "server-only";
import { z } from "zod";
import { PRINTABLE } from "~/core/accounts/displayName";
import { userIdSchema } from "~/core/accounts/userId";
import { clearHelp, HELP_MESSAGE_MAX, raiseHelp } from "~/core/classroom/help";
import { endSession } from "~/core/classroom/endSession";
import { extendSession } from "~/core/classroom/extendSession";
import { MESSAGE_MAX, sendClassMessage } from "~/core/classroom/messages";
import { resetSession } from "~/core/classroom/resetSession";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";

export const classroomRouter = createTRPCRouter({
  /** The session's learner asks for help (optionally saying what with). */
  raiseHelp: learnerProcedure
    .input(
      sessionIdInput.extend({
        message: z
          .string()
          .trim()
          .max(HELP_MESSAGE_MAX, `A help message can have at most ${HELP_MESSAGE_MAX} characters: shorten it.`)
          .refine(
            (m) => m === "" || PRINTABLE.test(m),
            "A help message is printable characters on one line (no control, escape or invisible formatting characters).",
          )
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => raiseHelp({ db: ctx.db, userId: ctx.learner.id, ...input })),

  /** The learner, or the class's instructor, clears the request. */
  clearHelp: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => clearHelp({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId })),

  /** +15 minutes: the learner when the assignment allows it, the instructor always, within the allowance. */
  extend: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => extendSession({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId })),

  /** The instructor writes to the whole class, or to one of its learners. */
  message: learnerProcedure
    .input(
      z.object({
        classId: z.uuid("classId must be a class id (a UUID)"),
        toUserId: userIdSchema(
          "toUserId names the learner to write to: an id from the class's roster (or leave it out for everyone)",
        ).optional(),
        body: z
          .string()
          .trim()
          // Line breaks are kept (a textarea); each line follows the printable rule.
          .transform((body) => body.replace(/\r\n?/g, "\n"))
          .pipe(
            z
              .string()
              .min(1, `Write a message first (1 to ${MESSAGE_MAX} characters).`)
              .max(MESSAGE_MAX, `A message can have at most ${MESSAGE_MAX} characters: shorten it.`)
              .refine(
                (body) => body.split("\n").every((line) => line === "" || PRINTABLE.test(line)),
                "A message is printable characters and line breaks (no control, escape or invisible formatting characters).",
              ),
          ),
      }),
    )
    .mutation(({ ctx, input }) =>
      sendClassMessage({ db: ctx.db, actor: { id: ctx.learner.id, role: ctx.learner.role }, ...input }),
    ),

  /** The instructor stops the learner's session and starts a fresh one for the same assignment. */
  reset: learnerProcedure.input(sessionIdInput).mutation(({ ctx, input }) =>
    resetSession({
      db: ctx.db,
      boss: ctx.boss,
      userId: ctx.learner.id,
      sessionId: input.sessionId,
      ttlMinutes: ctx.env.SESSION_TTL_MINUTES,
      maxActivePerUser: ctx.env.MAX_ACTIVE_SESSIONS_PER_USER,
      maxActiveSessions: ctx.env.MAX_ACTIVE_SESSIONS,
      maxActiveContainers: ctx.env.MAX_ACTIVE_CONTAINERS,
      staleSeconds: ctx.env.WORKER_STALE_SECONDS,
    }),
  ),

  /** The instructor ends the learner's session (the same teardown as Stop). */
  end: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => endSession({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, sessionId: input.sessionId })),
});
