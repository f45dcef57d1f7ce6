// Job definitions shared by the web (which enqueues) and the worker (which runs them).
// Payloads are validated on both sides: a queued job can outlive the code that wrote it.
import { z } from "zod";

const sessionPayload = z.object({ sessionId: z.uuid() });

export const jobs = {
  provisionSession: {
    name: "session-provision",
    /** labHash: the session's stored lab, for the worker to assert (absent on jobs queued before it). */
    payload: sessionPayload.extend({
      labHash: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    }),
    /** Bounded retries: a job that still fails after them marks the session FAILED. */
    queue: { retryLimit: 2, retryDelay: 1, expireInSeconds: 120 },
  },
  teardownSession: {
    name: "session-teardown",
    payload: sessionPayload,
    queue: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 },
  },
  /**
   * Run one step's checks against the session's containers (the learner pressed Check). Sent with
   * singletonKey `${sessionId}/${stepId}`: `stately` keeps one queued and one active per key, so
   * further presses coalesce into the queued one (send returns null). A policy applies only when a
   * queue is created, hence the new name (the policy-less "session-check" is no longer used).
   */
  checkStep: {
    name: "session-check-stately",
    /** runId: the CheckRun this job ends (jobs queued before runs existed have none). */
    payload: z.object({ sessionId: z.uuid(), stepId: z.string().min(1), runId: z.uuid().optional() }),
    queue: { policy: "stately", retryLimit: 0, expireInSeconds: 60 },
    singletonKey: (p: { sessionId: string; stepId: string }) => `${p.sessionId}/${p.stepId}`,
  },
  /**
   * Grade the whole lab and record an immutable Submission (id = requestId = its CheckRun's id, so a retry adds nothing).
   * Sent with singletonKey = sessionId: `exclusive` allows one queued or active per session (new
   * name for the same reason as checkStep; "session-submit" is no longer used).
   */
  submitSession: {
    name: "session-submit-exclusive",
    payload: z.object({ sessionId: z.uuid(), userId: z.string().min(1), requestId: z.uuid() }),
    queue: { policy: "exclusive", retryLimit: 2, retryDelay: 1, expireInSeconds: 120 },
    singletonKey: (p: { sessionId: string }) => p.sessionId,
  },
  /**
   * Bring the session's link impairments (its own and its class's) in step with its helper
   * containers (worker/tasks/applyLinks.ts; idempotent). Sent with singletonKey = sessionId:
   * `stately` keeps one queued and one active, so a burst of changes is applied once more at most.
   */
  sessionLinks: {
    name: "session-links",
    payload: sessionPayload,
    queue: { policy: "stately", retryLimit: 3, retryDelay: 2, expireInSeconds: 120 },
    singletonKey: (p: { sessionId: string }) => p.sessionId,
  },
  /** Scheduled every minute: stop expired sessions. */
  reapSessions: {
    name: "session-reap",
    payload: z.object({}).loose(),
    queue: { retryLimit: 0, expireInSeconds: 60 },
  },
} as const;

export const REAP_CRON = "* * * * *";

export type JobKey = keyof typeof jobs;
export type JobPayload<K extends JobKey> = z.infer<(typeof jobs)[K]["payload"]>;
