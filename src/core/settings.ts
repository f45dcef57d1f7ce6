// Settings read from the environment, validated with zod so a missing or wrong one fails early
// with its name and what is accepted. Web and worker each pick the fields they need.
import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The labs folder when LABS_DIR is unset: labs/ in the working folder (the repository's root). */
export const DEFAULT_LABS_DIR = "labs";

/** LABS_DIR: the folder of lab files (<slug>/lab.yaml), read by the web and, for older sessions, the worker. */
export const labsDirSchema = z
  .string()
  .trim()
  .min(1, "LABS_DIR is empty: set it to a folder of labs (<slug>/lab.yaml), or leave it unset for ./labs")
  .default(DEFAULT_LABS_DIR)
  // Labs are read at run time from the working folder, not bundled: keep the tracer out of it.
  .transform((dir) => path.resolve(/* turbopackIgnore: true */ process.cwd(), dir))
  .superRefine((dir, ctx) => {
    const kind = (() => {
      try {
        return statSync(dir).isDirectory() ? "folder" : "file";
      } catch {
        return "missing";
      }
    })();
    if (kind !== "folder") {
      ctx.addIssue({
        code: "custom",
        message: `LABS_DIR ${kind === "missing" ? "does not exist" : "is a file, not a folder"}: ${dir}. Set it to a folder of labs (<slug>/lab.yaml), or leave it unset for ./labs`,
      });
    }
  });

export const labsEnvSchema = z.object({ LABS_DIR: labsDirSchema });

/**
 * METRICS_TOKEN: when set, /metrics (web and worker) answers only requests carrying `Authorization: Bearer <token>`;
 * unset, it is open (it holds counts only; keep it off the public internet, e.g. behind the proxy).
 */
export const opsEnvSchema = z.object({
  METRICS_TOKEN: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .string()
      .trim()
      .min(16, "METRICS_TOKEN must be at least 16 characters (or leave it unset for an open /metrics)")
      .regex(/^[\x21-\x7e]+$/, "METRICS_TOKEN may use printable ASCII characters only, no spaces")
      .optional(),
  ),
});

export const sharedEnvSchema = labsEnvSchema.merge(opsEnvSchema).extend({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: point it at PostgreSQL (scripts/up.sh sets it to an embedded one)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
  TERMINAL_TOKEN_SECRET: z
    .string({ error: "TERMINAL_TOKEN_SECRET is not set: use the same random value (32+ characters) for web and worker" })
    .min(32, "TERMINAL_TOKEN_SECRET must be at least 32 characters"),
});

const seconds = (name: string, min: number, max: number, fallback: number) => {
  const message = `${name} must be a whole number of seconds from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

/**
 * Lab hosts (workers) and how the others judge them (src/core/workers/): a worker whose heartbeat is
 * older than WORKER_STALE_SECONDS gets no new sessions and its starting ones are placed again; one
 * silent for WORKER_GRACE_SECONDS has its running sessions failed with a reason. Web and worker.
 */
export const workerLivenessSchema = z.object({
  WORKER_STALE_SECONDS: seconds("WORKER_STALE_SECONDS", 2, 3600, 15),
  WORKER_GRACE_SECONDS: seconds("WORKER_GRACE_SECONDS", 5, 86_400, 300),
});

const count = (name: string, what: string, min: number, max: number, fallback: number) => {
  const message = `${name} must be a whole number of ${what} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

/**
 * The platform's caps: sessions and containers (lab containers + session host) placed and not yet
 * stopped. A start beyond them waits in line (src/core/queue/); the web checks them at a start, every
 * worker when it admits the line, so both read the same values.
 */
export const platformCapsSchema = z.object({
  MAX_ACTIVE_SESSIONS: count("MAX_ACTIVE_SESSIONS", "sessions", 1, 10_000, 40),
  MAX_ACTIVE_CONTAINERS: count("MAX_ACTIVE_CONTAINERS", "containers", 2, 100_000, 200),
  /** The most sessions waiting in line at once (beyond: UNAVAILABLE); 0: no line, a start that finds no place is refused. */
  MAX_WAITING_SESSIONS: count("MAX_WAITING_SESSIONS", "sessions", 0, 100_000, 1000),
  /** How long a session waits in line at most: the admitter ends a longer wait, with a reason the learner reads. */
  MAX_WAIT_MINUTES: count("MAX_WAIT_MINUTES", "minutes", 1, 10_080, 60),
});

/**
 * Packet captures (worker/capture/): each is tcpdump in a helper container joined to one session
 * container's network namespace. A capture ends when it passes CAPTURE_MAX_PPS packets per second
 * sustained over 2 s, keeps CAPTURE_MAX_BYTES of packets, or runs CAPTURE_MAX_SECONDS; a session has
 * at most CAPTURE_MAX_PER_SESSION live captures, a worker CAPTURE_MAX_PER_WORKER live ones and
 * CAPTURE_MAX_ROLLING_PER_WORKER rolling ones (for capture checks). CAPTURE_SNAPLEN: the bytes kept of each packet.
 */
export const captureLimitsSchema = z.object({
  CAPTURE_MAX_PPS: count("CAPTURE_MAX_PPS", "packets per second", 10, 1_000_000, 500),
  CAPTURE_MAX_BYTES: count("CAPTURE_MAX_BYTES", "bytes", 65_536, 1_073_741_824, 8 * 1024 * 1024),
  CAPTURE_MAX_SECONDS: seconds("CAPTURE_MAX_SECONDS", 5, 86_400, 300),
  CAPTURE_MAX_PER_SESSION: count("CAPTURE_MAX_PER_SESSION", "captures", 1, 64, 2),
  CAPTURE_MAX_PER_WORKER: count("CAPTURE_MAX_PER_WORKER", "captures", 1, 10_000, 50),
  CAPTURE_SNAPLEN: count("CAPTURE_SNAPLEN", "bytes", 64, 65_535, 1500),
  CAPTURE_MAX_ROLLING_PER_WORKER: count("CAPTURE_MAX_ROLLING_PER_WORKER", "captures", 1, 100_000, 400),
  /** Bytes of packets the worker keeps of ended captures (one per session, still listed), oldest dropped first. */
  /** Bytes waiting for one subscriber's connection past which it is unsubscribed ("fell behind"; it may subscribe again). */
  CAPTURE_MAX_QUEUED_BYTES: count("CAPTURE_MAX_QUEUED_BYTES", "bytes", 65_536, 1_073_741_824, 4 * 1024 * 1024),
  CAPTURE_MAX_ENDED_BYTES: count("CAPTURE_MAX_ENDED_BYTES", "bytes", 65_536, 68_719_476_736, 128 * 1024 * 1024),
});
export type CaptureLimits = z.infer<typeof captureLimitsSchema>;

/** Comma-separated browser origins of the web (its public URL first): who may sign in and open terminals. */
export const webOriginsSchema = z
  .string()
  .default("http://localhost:3000,http://127.0.0.1:3000")
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  );

export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The labs folder of this process (LABS_DIR), checked: a missing folder is an error naming LABS_DIR. */
export function labsDir(source: NodeJS.ProcessEnv = process.env): string {
  return parseEnv(labsEnvSchema, source).LABS_DIR;
}
