// The rolling captures capture checks read (src/core/grading/captureCheck.ts): for every session of
// this worker whose lab has capture checks, one rolling capture (worker/capture/rolling.ts, the last
// 60 s) per (container, interface) those checks watch, kept while the container and its interface
// exist. Started as the engine view changes (a `docker run` in the host terminal) and before each
// Check or Submit; ended with the session. The rings live on this (the main) thread: a check request
// carries a snapshot of the packets its capture checks read to the check thread (worker/checks/).
import type { DecodedPacket } from "~/protocol/terminalProtocol";
import { captureKey, type CaptureSnapshot, captureTargets, type WirePacket } from "~/core/grading/captureCheck";
import type { Lab } from "~/core/labs/schema";
import { logger } from "~/core/log";
import type { EngineView } from "~/core/sessions/engineView";
import { LAB_DNS, SESSION_HOST } from "~/protocol/labNames";
import type { CheckJob, CheckRunner } from "../checks/runner";

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

export type CheckCaptures = {
  /** The engine view of a session changed: start the rolling captures its lab's checks watch that are there now. */
  viewChanged(sessionId: string, view: EngineView, lab: Lab): Promise<void>;
  /** Wraps the check runner: each request starts what its lab watches (bounded wait), then carries its packets. */
  runner(inner: CheckRunner): CheckRunner;
  /** The session ended here: its rolling captures stop. */
  ended(sessionId: string): Promise<void>;
};

export function createCheckCaptures(rolling: RollingCaptures): CheckCaptures {
  const ensure = async (sessionId: string, targets: Target[]) => {
    await Promise.all(
      targets.map((t) =>
        rolling.ensureRolling(sessionId, t.container, t.iface).catch((error: unknown) => {
          log.debug(
            { sessionId, ...t, err: error },
            `no rolling capture on ${t.container}'s ${t.iface}: ${(error as Error).message}`,
          );
        }),
      ),
    );
  };
  const labTargets = (lab: Lab) => captureTargets(lab.steps.flatMap((s) => s.checks));

  return {
    async viewChanged(sessionId, view, lab) {
      const targets = labTargets(lab).filter((t) => presentIn(view, t));
      if (targets.length) await ensure(sessionId, targets);
    },
    runner(inner) {
      return {
        async run(job: CheckJob) {
          const all = labTargets(job.lab);
          if (all.length === 0) return inner.run(job);
          // Whatever was missed (a container made just now, a restarted worker) is watched from now on;
          // a missing container's capture fails quietly (its check says so).
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            ensure(job.sessionId, all),
            new Promise((resolve) => {
              timer = setTimeout(resolve, ENSURE_WAIT_MS);
              timer.unref();
            }),
          ]);
          clearTimeout(timer);
          const checks = job.lab.steps.filter((s) => !job.stepId || s.id === job.stepId).flatMap((s) => s.checks);
          const captures: CaptureSnapshot = {};
          for (const t of captureTargets(checks)) {
            const packets = rolling.rollingPackets(job.sessionId, t.container, t.iface);
            if (packets) captures[captureKey({ container: t.container, interface: t.iface })] = packets.map(wireFacts);
          }
          return inner.run({ ...job, captures });
        },
        close: () => inner.close(),
      };
    },
    async ended(sessionId) {
      await rolling.stopRolling(sessionId);
    },
  };
}
