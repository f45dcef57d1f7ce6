import "server-only";
import { z } from "zod";

/** The input of every procedure that acts on one session. */
export const sessionIdInput = z.object({ sessionId: z.uuid("sessionId must be a session id (a UUID)") });
