import "server-only";
import { z } from "zod";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { getMe } from "~/core/accounts/getMe";
import { redeemSetupToken } from "~/core/accounts/setupToken";

const TOKEN_MESSAGE = "The setup token is the 43-character text the server printed (letters, digits, - and _).";

export const accountRouter = createTRPCRouter({
  /** Who I am, without ids: name, email (null for a guest), role, guest. */
  me: learnerProcedure.query(({ ctx }) => getMe(ctx.db, ctx.learner.id)),

  /** The first admin: a signed-in account enters the one-time setup token the server printed. */
  redeemSetupToken: learnerProcedure
    .input(z.object({ token: z.string({ error: TOKEN_MESSAGE }).trim().min(1, TOKEN_MESSAGE).max(200, TOKEN_MESSAGE) }))
    .mutation(({ ctx, input }) => redeemSetupToken(ctx.db, ctx.learner, input.token)),
});
