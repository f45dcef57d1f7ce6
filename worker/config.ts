// The worker's settings, validated at start with messages that say what to set.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  captureLimitsSchema,
  parseEnv,
  platformCapsSchema,
  sharedEnvSchema,
  webOriginsSchema,
  workerLivenessSchema,
} from "~/core/settings";
import { sessionPoolSchema } from "~/core/pool/poolSetting";

const CHECK_THREADS_MESSAGE = "CHECK_THREADS must be a whole number from 0 to 16";

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** What the Docker provisioner needs; usable without a database (tests, benchmarks). */
export const provisionerEnvSchema = z.object({
  /** Unset: the default local socket. Otherwise unix:///path or tcp://host:port. */
  DOCKER_HOST: z.string().optional(),
  LAB_IMAGE: z.string().default("busybox:latest"),
  /** busybox + labdns: the session host and the lab DNS service (images/labhost/rootfs.sh, made by images/build.sh labhost). */
  LAB_HOST_IMAGE: z.string().default("wireroom/labhost:latest"),
  /** tcpdump, tc, iptables, nfdelay: the capture and link-impairment helpers (images/nettools/, made by images/build.sh). */
  NETTOOLS_IMAGE: z.string().default("wireroom/nettools:latest"),
  CONTAINER_MEMORY_MB: int(16, 4096, 64),
  CONTAINER_PIDS_LIMIT: int(16, 4096, 128),
  CONTAINER_TMPFS_MB: int(1, 1024, 16),
  MAX_CONTAINERS_PER_SESSION: int(1, 64, 8),
  MAX_NETWORKS_PER_SESSION: int(0, 16, 4),
  LAB_SUBNET_POOL: z
    .string()
    .regex(
      /^\d+\.\d+\.\d+\.\d+\/([0-9]|1[0-9]|2[0-4])$/,
      "LAB_SUBNET_POOL must be an IPv4 CIDR of /24 or larger, e.g. 10.213.0.0/16",
    )
    .default("10.213.0.0/16"),
  /**
   * Where each session's default bridge gets its /16 (the seed's mask, 255.255.0.0): 10.0.0.0/8
   * holds 256 of them, less those overlapping networks on the engine and LAB_SUBNET_POOL (which
   * the bridges never take). The bridges have no address on the machine and no route off it.
   */
  LAB_BRIDGE_POOL: z
    .string()
    .regex(
      /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|1[0-6])$/,
      "LAB_BRIDGE_POOL must be an IPv4 CIDR of /16 or larger (each session's default bridge takes a /16), e.g. 10.0.0.0/8",
    )
    .default("10.0.0.0/8"),
  /** Per-container files (resolv.conf); must be the same path on the worker and the Docker host. */
  LAB_FILES_DIR: z.string().default(path.resolve(".data", "labfiles")),
  /**
   * on: the worker (root, on the engine's host) keeps the machine unreachable from lab networks
   * (iptables/ip6tables INPUT drop on lab bridges, no IPv6 or ARP answers there). off: the
   * operator does it.
   */
  LAB_FIREWALL: z.enum(["on", "off"], { message: "LAB_FIREWALL must be on or off" }).default("on"),
});

const workerEnvSchema = sharedEnvSchema
  .merge(provisionerEnvSchema)
  .merge(workerLivenessSchema)
  // The platform's caps: this worker admits the line within them (src/core/queue/admitWaiting.ts).
  .merge(platformCapsSchema)
  .merge(captureLimitsSchema)
  .extend({
    /** Stable per machine: a restarted worker resumes the sessions it was running. */
    WORKER_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, "WORKER_ID may use letters, digits, '.', '_' and '-'")
      .default(os.hostname()),
    RECONCILE_INTERVAL_SECONDS: int(10, 86_400, 300),
    WORKER_PORT: int(0, 65535, 3001),
    WORKER_HOST: z.string().default("0.0.0.0"),
    /**
     * Where browsers reach this worker's terminal gateway, registered for the web to hand out with its
     * sessions. Unset: http://localhost:<the port it listens on>.
     */
    WORKER_PUBLIC_URL: z.url("WORKER_PUBLIC_URL must be a URL such as https://lab1.example.org").optional(),
    /** The most containers (lab containers, session hosts and what learners `docker run`) this worker's engine runs. */
    WORKER_CAPACITY: int(2, 100_000, 400),
    /** How often the worker writes its heartbeat (and its load) to the registry. */
    WORKER_HEARTBEAT_SECONDS: int(1, 600, 5),
    /** Comma-separated browser origins allowed to open terminals (the web's public URL). */
    WEB_ORIGINS: webOriginsSchema,
    /**
     * Threads that run Check and Submit (their execs and patterns) off the terminals' event loop
     * (worker/checks/). 0: on the main thread. Default: one less than the machine's cores, 1 to 4.
     */
    CHECK_THREADS: z.preprocess(
      (value) => (value === "" ? undefined : value), // empty (compose's unset variable): the default
      z.coerce
        .number({ error: CHECK_THREADS_MESSAGE })
        .int(CHECK_THREADS_MESSAGE)
        .min(0, CHECK_THREADS_MESSAGE)
        .max(16, CHECK_THREADS_MESSAGE)
        .default(Math.min(4, Math.max(1, os.availableParallelism() - 1))),
    ),
    /** on: a step's probes run in one exec per container (src/core/grading/batchScript.ts); off: one exec per probe. */
    CHECK_BATCH: z.enum(["on", "off"], { message: "CHECK_BATCH must be on or off" }).default("on"),
    /**
     * Ready sessions kept per lab for instant starts, e.g. "bridge-basics=2,dns=1" (slug=size, 0-50;
     * empty: no pool). Every worker refills them (src/core/pool/): give all workers the same value.
     */
    SESSION_POOL: sessionPoolSchema,
  })
  .refine((c) => c.WORKER_HEARTBEAT_SECONDS * 2 <= c.WORKER_STALE_SECONDS, {
    path: ["WORKER_HEARTBEAT_SECONDS"],
    message:
      "WORKER_HEARTBEAT_SECONDS must be at most half of WORKER_STALE_SECONDS: between two heartbeats the other workers would take this worker for gone and move its starting sessions",
  });

export type ProvisionerConfig = z.infer<typeof provisionerEnvSchema>;
export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, source);
}

export function loadProvisionerConfig(source: NodeJS.ProcessEnv = process.env): ProvisionerConfig {
  return parseEnv(provisionerEnvSchema, source);
}
