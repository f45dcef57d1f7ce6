import "server-only";
import { z } from "zod";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { listUsers } from "~/core/accounts/listUsers";
import { setRole } from "~/core/accounts/setRole";
import { PRINTABLE } from "~/core/accounts/displayName";
import { userIdSchema } from "~/core/accounts/userId";
import { LEARNER, TEACHER } from "~/protocol/accountRoles";

const ROLE_MESSAGE = `role must be "${LEARNER}" or "${TEACHER}" (admins are made with the setup token)`;

export const adminRouter = createTRPCRouter({
  /** Accounts (not guests), newest first, 50 a page; query searches email and name. Admins only. */
  users: learnerProcedure
    .input(
      z.object({
        query: z
          .string()
          .max(200, "query is at most 200 characters")
          .refine((q) => q === "" || PRINTABLE.test(q), "query is printable characters (part of an email or a name)")
          .optional(),
        cursor: userIdSchema("cursor must be a nextCursor from the previous page").optional(),
      }),
    )
    .query(({ ctx, input }) => listUsers(ctx.db, ctx.learner, input)),

  /** Makes an account an instructor or a learner. Admins only; never oneself nor another admin. */
  setRole: learnerProcedure
    .input(
      z.object({
        userId: userIdSchema("userId must be a user's id from admin.users"),
        role: z.enum([LEARNER, TEACHER], { error: ROLE_MESSAGE }),
      }),
    )
    .mutation(({ ctx, input }) => setRole(ctx.db, ctx.learner, input)),
});
