// The web process's settings. Read lazily so `next build` needs no database.
import { z } from "zod";
import { parseEnv, sharedEnvSchema, webOriginsSchema } from "~/shared/env";

const webEnvSchema = sharedEnvSchema.extend({
  /** Where browsers reach the worker's terminal gateway. */
  WORKER_PUBLIC_URL: z.url("WORKER_PUBLIC_URL must be a URL such as http://localhost:3001").default("http://localhost:3001"),
  /** Signs identity cookies (better-auth). Kept in the data folder by scripts/platform.ts when unset. */
  BETTER_AUTH_SECRET: z
    .string({ error: "BETTER_AUTH_SECRET is not set: use a random value of 32+ characters (scripts/up.sh keeps one in .data/better-auth-secret)" })
    .min(32, "BETTER_AUTH_SECRET must be at least 32 characters"),
  /** Browser origins that may sign in (the first one is the public URL; https there makes cookies Secure). */
  WEB_ORIGINS: webOriginsSchema,
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  MAX_ACTIVE_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(50).default(3),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

let cached: WebEnv | undefined;
export function webEnv(): WebEnv {
  cached ??= parseEnv(webEnvSchema);
  return cached;
}
