// better-auth's endpoints (anonymous sign-in, session, sign-out) at /api/auth/*.
import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "~/server/auth/auth";

export const dynamic = "force-dynamic";

export const { GET, POST } = toNextJsHandler((request: Request) => getAuth().handler(request));
