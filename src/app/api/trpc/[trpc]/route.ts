import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { learnerFromCookies } from "~/server/learner";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  const { learner, setCookie } = learnerFromCookies(req.headers.get("cookie"));
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      if (setCookie) resHeaders.append("Set-Cookie", setCookie);
      return createTRPCContext({ headers: req.headers, learner });
    },
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC failed on ${path ?? "<no-path>"}:`, error);
    },
  });
}

export { handler as GET, handler as POST };
