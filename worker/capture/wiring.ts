// The worker's captures in one place for its composition root (worker/app.ts): the Docker helper
// port, the live captures (the /capture gateway serves them), the rolling ones for checks (installed
// for ensureRolling/rollingPackets/stopRolling), their worker-wide bounds (one each), and the hooks:
// a session's teardown ends its captures, an engine change ends those whose container went away.
import type { CaptureLimits } from "~/core/settings";
import { logger } from "~/core/log";
import { dockerCaptureFromConfig } from "../provisioner/docker/capture";
import type { TerminalHub } from "../gateway/terminalHub";
import { CaptureManager } from "./manager";
import { installRolling, RollingCaptures } from "./rolling";
import { CaptureSlots } from "./slots";

const log = logger.child({ component: "capture" });

export type WorkerCaptures = {
  manager: CaptureManager;
  rolling: RollingCaptures;
  /** The teardown's hub: closing a session's terminals ends its captures (live and rolling) too. */
  endingWith(hub: Pick<TerminalHub, "closeSession">): Pick<TerminalHub, "closeSession">;
  /** The session's engine view changed: captures of containers that went away end. */
  engineChanged(sessionId: string): void;
  close(): Promise<void>;
};

export async function startCaptures(
  config: CaptureLimits & { DOCKER_HOST?: string | undefined; NETTOOLS_IMAGE: string; WORKER_ID: string },
  installationId: string,
): Promise<WorkerCaptures> {
  const port = dockerCaptureFromConfig(config, installationId);
  // Helpers a previous run of this worker left (a crash): their readers are gone. Another worker's stay.
  await port.removeAll().catch((error: unknown) => log.warn({ err: error }, "leftover capture helpers not removed"));
  const slots = new CaptureSlots(config.CAPTURE_MAX_PER_WORKER);
  const manager = new CaptureManager(port, config, slots);
  // Rolling captures (for checks) have their own bound: they run as long as their interfaces exist.
  const rolling = new RollingCaptures(port, config, new CaptureSlots(config.CAPTURE_MAX_ROLLING_PER_WORKER));
  installRolling(rolling);
  return {
    manager,
    rolling,
    endingWith: (hub) => ({
      async closeSession(sessionId, reason) {
        await Promise.all([manager.endSession(sessionId, reason), rolling.stop(sessionId)]);
        await hub.closeSession(sessionId, reason);
      },
    }),
    engineChanged: (sessionId) =>
      void manager.recheck(sessionId).catch((error: unknown) => log.warn({ err: error, sessionId }, "capture recheck failed")),
    async close() {
      await Promise.all([manager.closeAll(), rolling.closeAll()]);
      installRolling(undefined);
    },
  };
}
