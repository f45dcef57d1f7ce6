// Unit-test fixtures for the worker's tasks: a session store in memory and the fake provisioner,
// with sessions whose stored lab is a small valid one. No Docker, no PostgreSQL.
import { randomUUID } from "node:crypto";
import { labSchema } from "~/core/labs/schema";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { createFakeProvisioner } from "~/core/provisioner/fake";
import { createMemorySessionStore, type MemorySession } from "~/core/sessions/memorySessionStore";
import type { TaskJob } from "../../worker/tasks/types";

export const WORKER = "worker-under-test";

export const twoContainerLab = labSchema.parse({
  slug: "two-boxes",
  title: "Two boxes",
  summary: "Two containers on the default bridge",
  estimatedMinutes: 5,
  containers: [{ name: "busybox1" }, { name: "busybox2" }],
  defaultTerminal: "busybox1",
});

export function taskWorld() {
  const sessions = createMemorySessionStore();
  const provisioner = createFakeProvisioner();
  const add = (over: Partial<MemorySession> = {}) =>
    sessions.add({ id: randomUUID(), labSlug: twoContainerLab.slug, ...sessionLabColumns(twoContainerLab), ...over });
  return { sessions, provisioner, add, deps: { sessions, provisioner, workerId: WORKER } };
}

/** A pg-boss job as a task sees it: attempt `retryCount + 1` of `retryLimit + 1`. */
export function job(data: unknown, attempt: { retryCount?: number; retryLimit?: number } = {}): TaskJob {
  return { id: randomUUID(), data, retryCount: attempt.retryCount ?? 0, retryLimit: attempt.retryLimit ?? 2 };
}
