import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { webOrigins } from "~/server/auth/auth";
import { logger } from "~/core/log";

const log = logger.child({ component: "trpc" });

export const dynamic = "force-dynamic";

/**
 * A POST sent by a page on another origin (a browser names it in Origin) is refused before anything
 * runs: the cookie alone does not show the learner meant it (SameSite=Lax lets same-site origins
 * through). Requests without Origin (server-side callers, tests) are served as before.
 */
function refuseForeignOrigin(req: Request) {
  const origin = req.headers.get("origin");
  if (req.method !== "POST" || origin === null) return;
  const allowed = webOrigins();
  if (!allowed.includes(origin)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Refused: this request was sent by a page on ${origin}, which is not one of wireroom's origins (${allowed.join(", ")}); only wireroom's own pages may act for you. Open wireroom at ${allowed[0]} and try again.`,
    });
  }
}

/** The learner comes from the better-auth session cookie (src/server/auth); no identity is made here. */
function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => {
      refuseForeignOrigin(req);
      return createTRPCContext({ headers: req.headers });
    },
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        log.error({ err: error, path: path ?? "<no-path>" }, `tRPC failed on ${path ?? "<no-path>"}`);
    },
  });
}

export { handler as GET, handler as POST };
