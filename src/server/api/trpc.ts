/**
 * tRPC setup in three parts: the context, the initialisation (superjson, an error formatter
 * that hands zod's flattened errors to the client) and the procedures. Domain errors from
 * services become tRPC errors here, in one place.
 */
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { learnerFromHeaders, type Learner } from "~/server/auth/learner";
import { getDb } from "~/core/db";
import { webEnv } from "~/server/env";
import { AppError, type AppErrorCode } from "~/core/errors";
import { getBoss } from "~/server/webBoss";

// 1. Context -------------------------------------------------------------------------------

export type { Learner };

/** The learner is whoever the request's better-auth session cookie belongs to, or no one (null). */
export async function createTRPCContext(opts: { headers: Headers }) {
  const env = webEnv();
  return {
    env,
    db: getDb(env.DATABASE_URL),
    boss: await getBoss(env.DATABASE_URL),
    learner: await learnerFromHeaders(opts.headers),
    headers: opts.headers,
  };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

// 2. Initialisation ------------------------------------------------------------------------

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  // Subscriptions (SSE): a ping keeps idle pages' streams open through proxies; a page that hears
  // nothing for longer reconnects, and is sent the current state again (routers/live.ts).
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

// 3. Procedures ----------------------------------------------------------------------------

const trpcCode: Record<AppErrorCode, TRPCError["code"]> = {
  UNAUTHORIZED: "UNAUTHORIZED",
  NOT_FOUND: "NOT_FOUND",
  BAD_REQUEST: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  LIMIT_EXCEEDED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Prisma's "Unable to start a transaction in the given time": every pooled connection was busy. */
const NO_CONNECTION_IN_TIME = "P2028";
export const BUSY_MESSAGE = "The platform is very busy right now. Please try again in a moment.";

/** The one place where domain errors become API errors. */
export function toTRPCError(error: unknown): unknown {
  if (error instanceof AppError) return new TRPCError({ code: trpcCode[error.code], message: error.message, cause: error });
  // A passing overload, not a fault: the learner can act on it (retry), unlike a 500.
  if ((error as { code?: unknown } | null)?.code === NO_CONNECTION_IN_TIME) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: BUSY_MESSAGE, cause: error });
  }
  return error;
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped instanceof TRPCError) throw mapped;
  }
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure.use(mapErrors);
export const NOT_SIGNED_IN =
  "You are not signed in (no valid session cookie): reload the page to get a new guest identity, and allow cookies for this site.";

/** Procedures that act for the signed-in learner in ctx.learner; everyone else gets UNAUTHORIZED. */
export const learnerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.learner) throw new AppError("UNAUTHORIZED", NOT_SIGNED_IN);
  return next({ ctx: { learner: ctx.learner } });
});
