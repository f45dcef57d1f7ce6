// The web process's settings. Read lazily so `next build` needs no database.
import "server-only";
import { z } from "zod";
import { parseEnv, sharedEnvSchema, webOriginsSchema, workerLivenessSchema } from "~/core/settings";

const count = (name: string, what: string, min: number, max: number, fallback: number) => {
  const message = `${name} must be a whole number of ${what} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

export const webEnvSchema = sharedEnvSchema.merge(workerLivenessSchema).extend({
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
  /** The platform's caps: sessions and containers (lab containers + session host) not yet stopped. */
  MAX_ACTIVE_SESSIONS: count("MAX_ACTIVE_SESSIONS", "sessions", 1, 10_000, 40),
  MAX_ACTIVE_CONTAINERS: count("MAX_ACTIVE_CONTAINERS", "containers", 2, 100_000, 200),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

let cached: WebEnv | undefined;
export function webEnv(): WebEnv {
  cached ??= parseEnv(webEnvSchema);
  return cached;
}
