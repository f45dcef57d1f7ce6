// The web process's settings. Read lazily so `next build` needs no database.
import "server-only";
import { z } from "zod";
import { parseEnv, platformCapsSchema, sharedEnvSchema, webOriginsSchema, workerLivenessSchema } from "~/core/settings";

export const webEnvSchema = sharedEnvSchema
  .merge(workerLivenessSchema)
  .merge(platformCapsSchema)
  .extend({
    /** Where browsers reach a worker's terminal gateway when its session's worker has not registered one. */
    WORKER_PUBLIC_URL: z.url("WORKER_PUBLIC_URL must be a URL such as http://localhost:3001").default("http://localhost:3001"),
    /** Signs identity cookies (better-auth). Kept in the data folder by scripts/platform.ts when unset. */
    BETTER_AUTH_SECRET: z
      .string({
        error:
          "BETTER_AUTH_SECRET is not set: use a random value of 32+ characters (scripts/up.sh keeps one in .data/better-auth-secret)",
      })
      .min(32, "BETTER_AUTH_SECRET must be at least 32 characters"),
    /** Browser origins that may sign in (the first one is the public URL; https there makes cookies Secure). */
    WEB_ORIGINS: webOriginsSchema,
    /**
     * The request header that holds the client's address, set (overwritten) by a proxy in front of
     * the web, e.g. x-real-ip. Unset (or empty): no header is believed, since any client can write one.
     */
    TRUSTED_CLIENT_IP_HEADER: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^([a-z0-9-]+)?$/,
        "TRUSTED_CLIENT_IP_HEADER must be one header name, such as x-real-ip, that your proxy sets to the client's address; leave it unset without such a proxy",
      )
      .optional()
      .transform((name) => name || undefined),
    SESSION_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(120),
    MAX_ACTIVE_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(50).default(3),
  });

export type WebEnv = z.infer<typeof webEnvSchema>;

let cached: WebEnv | undefined;
export function webEnv(): WebEnv {
  cached ??= parseEnv(webEnvSchema);
  return cached;
}
