// The worker's settings, validated at start with messages that say what to set.
import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "~/shared/env";

const workerEnvSchema = sharedEnvSchema.extend({
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  WORKER_HOST: z.string().default("0.0.0.0"),
  /** Comma-separated browser origins allowed to open terminals (the web's public URL). */
  WEB_ORIGINS: z
    .string()
    .default("http://localhost:3000,http://127.0.0.1:3000")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean)),
  /** Unset: the default local socket. Otherwise unix:///path or tcp://host:port. */
  DOCKER_HOST: z.string().optional(),
  LAB_IMAGE: z.string().default("busybox:latest"),
  CONTAINER_MEMORY_MB: z.coerce.number().int().min(16).max(4096).default(64),
  CONTAINER_PIDS_LIMIT: z.coerce.number().int().min(16).max(4096).default(128),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, source);
}
