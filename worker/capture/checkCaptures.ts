// The rolling captures capture checks read (src/core/grading/captureCheck.ts): for every session of
// this worker whose lab has capture checks, one rolling capture (worker/capture/rolling.ts, the last
// 60 s) per (container, interface) those checks watch, kept while the container and its interface
// exist. Started as the engine view changes (a `docker run` in the host terminal) and before each
// Check or Submit; ended with the session. The rings live on this (the main) thread: a check request
// carries a snapshot of the packets its capture checks read to the check thread (worker/checks/).
import type { DecodedPacket } from "~/protocol/terminalProtocol";
import { captureKey, type CaptureSnapshot, captureTargets, type WirePacket } from "~/core/grading/captureCheck";
import type { Lab } from "~/core/labs/schema";
import { jobs } from "~/core/jobs/definitions";
import { logger } from "~/core/log";
import type { Db } from "~/core/db";
import { labOfSession } from "~/core/labs/sessionLab";
import { engineViewOf, type EngineView } from "~/core/sessions/engineView";
import { Status } from "~/protocol/sessionStatus";
import { LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import type { CheckJob, CheckRunner } from "../checks/runner";
import type { Task } from "../tasks/types";
import { RollingBusy } from "./rolling";

/** What this module needs of the rolling captures (rolling.ts). */
export type RollingCaptures = {
  ensureRolling(sessionId: string, container: string, iface: string): Promise<unknown>;
  rollingPackets(sessionId: string, container: string, iface: string): DecodedPacket[] | undefined;
  stopRolling(sessionId: string): Promise<unknown>;
};

type Target = { container: string; iface: string };

/** How long a Check waits for the rolling captures it starts (each is one helper container). */
const ENSURE_WAIT_MS = 10_000;

const log = logger.child({ component: "check-captures" });

/** The facts a capture check reads, only: the snapshot crosses to a check thread (structured clone). */
function wireFacts(p: DecodedPacket): WirePacket {
  return {
    ts: p.ts,
    protocol: p.protocol,
    ...(p.ipv4 && { ipv4: { src: p.ipv4.src, dst: p.ipv4.dst } }),
    ...(p.icmp && { icmp: { kind: p.icmp.kind, id: p.icmp.id, seq: p.icmp.seq } }),
    ...(p.arp && { arp: { op: p.arp.op, senderIp: p.arp.senderIp, targetIp: p.arp.targetIp } }),
    ...(p.dns && { dns: { qr: p.dns.qr, questions: p.dns.questions.map((q) => ({ name: q.name })) } }),
    ...(p.http && { http: { startLine: p.http.startLine } }),
  };
}

/**
 * Whether the view shows the target there now: its interface in the container's namespace (the
 * topology), or, in a view without one, the container running (the session host and the lab DNS
 * always are, while the session is READY).
 */
export function presentIn(view: EngineView | null | undefined, { container, iface }: Target): boolean {
  if (!view) return container === SESSION_HOST || container === LAB_DNS;
  const namespace = view.topology?.namespaces.find((ns) => ns.owner === container || ns.members.includes(container));
  if (view.topology) return namespace?.interfaces.some((i) => i.name === iface) ?? false;
  if (container === SESSION_HOST || container === LAB_DNS) return true;
  return view.containers?.some((c) => c.name === container && c.running) ?? false;
}

/** A session's lab (its capture checks' targets) and stored engine view, while it is READY; undefined otherwise. */
export type SessionFacts = (sessionId: string) => Promise<{ lab: Lab; view: EngineView | null } | undefined>;

/** SessionFacts from the database (the lab the session stores, its engine view). */
export function sessionFactsFromDb(db: Db): SessionFacts {
  return async (sessionId) => {
    const row = await db.labSession.findUnique({
      where: { id: sessionId },
      select: { id: true, status: true, labSlug: true, lab: true, labHash: true, engineView: true },
    });
    if (row?.status !== Status.ready) return undefined;
    const lab = labOfSession(row);
    return lab ? { lab, view: engineViewOf(row) } : undefined;
  };
}

export type CheckCaptures = {
  /**
   * The session's engine view changed (or it became READY): start the rolling captures its lab's
   * checks watch that are there now. Never throws (a failure is logged).
   */
  viewChanged(sessionId: string, view?: EngineView): Promise<void>;
  /** Wraps the check runner: each request starts what its lab watches (bounded wait), then carries its packets. */
  runner(inner: CheckRunner): CheckRunner;
  /** The session ended here: its rolling captures stop. Never throws. */
  ended(sessionId: string): Promise<void>;
};

/** Sessions whose targets are remembered (a READY session's lab does not change); forgotten past this. */
const MAX_REMEMBERED = 1_000;

export function createCheckCaptures(rolling: RollingCaptures, facts: SessionFacts): CheckCaptures {
  /**
   * Starts what is missing; the targets that could not start (no such container or interface, no room,
   * too much traffic), with the words for the learner when they are not the check's own (RollingBusy).
   */
  const ensure = async (sessionId: string, targets: Target[]): Promise<Map<string, string | undefined>> => {
    const failed = new Map<string, string | undefined>();
    await Promise.all(
      targets.map((t) =>
        rolling.ensureRolling(sessionId, t.container, t.iface).catch((error: unknown) => {
          failed.set(
            captureKey({ container: t.container, interface: t.iface }),
            error instanceof RollingBusy ? error.message : undefined,
          );
          log.debug(
            { sessionId, ...t, err: error },
            `no rolling capture on ${t.container}'s ${t.iface}: ${(error as Error).message}`,
          );
        }),
      ),
    );
    return failed;
  };
  const labTargets = (lab: Lab) => captureTargets(lab.steps.flatMap((s) => s.checks));
  /** Sessions whose labs watch nothing are remembered too, so their views cost no read. */
  const targetsOf = new Map<string, Target[]>();

  return {
    async viewChanged(sessionId, view) {
      try {
        const known = targetsOf.get(sessionId);
        if (known && known.length === 0) return;
        const now = !known || !view ? await facts(sessionId) : undefined;
        if (!known && !now) return;
        const targets = known ?? labTargets(now!.lab);
        if (targetsOf.size >= MAX_REMEMBERED) targetsOf.clear();
        targetsOf.set(sessionId, targets);
        const present = targets.filter((t) => presentIn(view ?? now?.view, t));
        if (present.length) await ensure(sessionId, present);
      } catch (error) {
        log.error({ sessionId, err: error }, `rolling captures for checks failed: ${(error as Error).message}`);
      }
    },
    runner(inner) {
      return {
        async run(job: CheckJob) {
          const all = labTargets(job.lab);
          if (all.length === 0) return inner.run(job);
          // Whatever was missed (a container made just now, a restarted worker) is watched from now on;
          // a missing container's capture fails quietly (its check says so).
          let timer: NodeJS.Timeout | undefined;
          const failed = await Promise.race([
            ensure(job.sessionId, all),
            new Promise<Map<string, string | undefined>>((resolve) => {
              timer = setTimeout(() => resolve(new Map()), ENSURE_WAIT_MS);
              timer.unref();
            }),
          ]);
          clearTimeout(timer);
          const checks = job.lab.steps.filter((s) => !job.stepId || s.id === job.stepId).flatMap((s) => s.checks);
          const captures: CaptureSnapshot = {};
          for (const t of captureTargets(checks)) {
            const key = captureKey({ container: t.container, interface: t.iface });
            const packets = failed.has(key) ? undefined : rolling.rollingPackets(job.sessionId, t.container, t.iface);
            if (packets) captures[key] = packets.map(wireFacts);
          }
          const outcomes = await inner.run({ ...job, captures });
          // An interface refused for now (too much traffic, no room) says so, not "nothing is captured".
          const busy = new Map<string, string>();
          for (const c of checks) {
            if (c.kind !== "capture") continue;
            const words = failed.get(captureKey(c.on));
            if (words) busy.set(c.id, words);
          }
          return busy.size === 0
            ? outcomes
            : outcomes.map((o) => (busy.has(o.checkId) && !o.passed ? { ...o, message: busy.get(o.checkId)! } : o));
        },
        close: () => inner.close(),
      };
    },
    async ended(sessionId) {
      targetsOf.delete(sessionId);
      await rolling.stopRolling(sessionId).catch((error: unknown) => {
        log.error({ sessionId, err: error }, `stopping rolling captures failed: ${(error as Error).message}`);
      });
    },
  };
}

/** The provision task, then the session's rolling captures once it is READY (the session host's and the lab DNS's). */
export function withCapturesAtReady(task: Task, captures: CheckCaptures): Task {
  return {
    ...task,
    async run(job) {
      await task.run(job);
      await captures.viewChanged(jobs.provisionSession.payload.parse(job.data).sessionId);
    },
  };
}

/** The teardown task, then the session's rolling captures end (their helpers are the session's: teardown removes them too). */
export function withCapturesEnded(task: Task, captures: CheckCaptures): Task {
  return {
    ...task,
    async run(job) {
      await task.run(job);
      await captures.ended(jobs.teardownSession.payload.parse(job.data).sessionId);
    },
  };
}
