/**
 * tRPC setup in three parts: the context, the initialisation (superjson, an error formatter
 * that hands zod's flattened errors to the client) and the procedures. Domain errors from
 * services become tRPC errors here, in one place.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getDb } from "~/server/db";
import { webEnv } from "~/server/env";
import { AppError, type AppErrorCode } from "~/server/errors";
import { getBoss } from "~/server/queue/webBoss";

// 1. Context -------------------------------------------------------------------------------

/** Until accounts arrive, a learner is an unguessable id kept in an http-only cookie. */
export type Learner = { id: string };

export async function createTRPCContext(opts: { headers: Headers; learner: Learner }) {
  const env = webEnv();
  return {
    env,
    db: getDb(env.DATABASE_URL),
    boss: await getBoss(env.DATABASE_URL),
    learner: opts.learner,
    headers: opts.headers,
  };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

// 2. Initialisation ------------------------------------------------------------------------

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
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
  NOT_FOUND: "NOT_FOUND",
  BAD_REQUEST: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  LIMIT_EXCEEDED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** The one place where domain errors become API errors. */
export function toTRPCError(error: unknown): unknown {
  if (error instanceof AppError) return new TRPCError({ code: trpcCode[error.code], message: error.message, cause: error });
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
/** Procedures that act for the learner in ctx.learner (later: a signed-in user with a role). */
export const learnerProcedure = publicProcedure;
