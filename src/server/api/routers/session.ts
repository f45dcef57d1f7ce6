import "server-only";
import { z } from "zod";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";
import { inviteRoleSchema } from "~/protocol/roles";
import { getSessionAccess } from "~/core/access/sessions";
import { acceptInvite, createInvite } from "~/core/sessions/shareSession";
import { issueTerminalToken, TERMINAL_MODES } from "~/core/sessions/issueTerminalToken";
import { sessionViewOf } from "~/core/sessions/sessionView";
import { startSession } from "~/core/sessions/startSession";
import { stopSession } from "~/core/sessions/stopSession";
import { listMySessions } from "~/core/sessions/listMySessions";
import { containerNameSchema } from "~/protocol/labNames";

export const sessionRouter = createTRPCRouter({
  start: learnerProcedure
    .input(z.object({ labSlug: z.string().min(1, "labSlug is required").max(100) }))
    .mutation(({ ctx, input }) =>
      startSession({
        db: ctx.db,
        boss: ctx.boss,
        userId: ctx.learner.id,
        labSlug: input.labSlug,
        ttlMinutes: ctx.env.SESSION_TTL_MINUTES,
        maxActivePerUser: ctx.env.MAX_ACTIVE_SESSIONS_PER_USER,
        maxActiveSessions: ctx.env.MAX_ACTIVE_SESSIONS,
        maxActiveContainers: ctx.env.MAX_ACTIVE_CONTAINERS,
        maxWaitingSessions: ctx.env.MAX_WAITING_SESSIONS,
        staleSeconds: ctx.env.WORKER_STALE_SECONDS,
      }),
    ),

  /** The learner's home: the sessions they started or joined by invite, running ones first, then recent ones (at most 50). */
  mine: learnerProcedure.query(({ ctx }) => listMySessions({ db: ctx.db, userId: ctx.learner.id })),

  get: learnerProcedure.input(sessionIdInput).query(async ({ ctx, input }) => {
    const { session, access } = await getSessionAccess({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId });
    return sessionViewOf(ctx.db, session, access);
  }),

  share: learnerProcedure
    .input(sessionIdInput.extend({ role: inviteRoleSchema }))
    .mutation(({ ctx, input }) =>
      createInvite({ db: ctx.db, secret: ctx.env.TERMINAL_TOKEN_SECRET, userId: ctx.learner.id, ...input }),
    ),

  join: learnerProcedure
    .input(z.object({ invite: z.string().min(1).max(4096) }))
    .mutation(({ ctx, input }) =>
      acceptInvite({ db: ctx.db, secret: ctx.env.TERMINAL_TOKEN_SECRET, userId: ctx.learner.id, token: input.invite }),
    ),

  stop: learnerProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) =>
      stopSession({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, sessionId: input.sessionId }),
    ),

  terminalToken: learnerProcedure
    .input(
      sessionIdInput.extend({
        terminal: containerNameSchema,
        /** The client id this tab got before; anything unusable is replaced, never refused. */
        clientId: z.string().max(256).optional().catch(undefined),
        /** An instructor's: "watch" (read-only, the default) or "type" (may take over). */
        mode: z.enum(TERMINAL_MODES, { error: 'mode must be "watch" or "type"' }).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      issueTerminalToken({
        db: ctx.db,
        secret: ctx.env.TERMINAL_TOKEN_SECRET,
        fallbackWorkerUrl: ctx.env.WORKER_PUBLIC_URL,
        userId: ctx.learner.id,
        handle: ctx.learner.handle,
        sessionId: input.sessionId,
        terminal: input.terminal,
        clientId: input.clientId,
        mode: input.mode,
      }),
    ),
});
