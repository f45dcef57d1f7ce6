// The Docker API endpoints this process serves: one unix socket per running session, in the
// session's run folder (the session host's /var/run, bind-mounted read-only), so the `docker`
// command in that session's host terminal reaches that session's endpoint and no other.
// Served when a session is provisioned, again when a restarted worker resumes it, closed at
// teardown. The folder, not the socket, is mounted: a socket made again after a restart is seen.
import path from "node:path";
import type Docker from "dockerode";
import type { LabImages } from "./containers";
import type { LabFiles } from "./labFiles";
import type { SessionRuntime } from "./learnerObjects";
import { logger } from "~/core/log";
import { createSessionApi, type SessionApi } from "./sessionApi/server";

const sessionApiLog = logger.child({ component: "session-api" });

/** The socket's name in the run folder: the CLI's default, /var/run/docker.sock. */
export const API_SOCKET = "docker.sock";

export type SessionEndpointsOptions = {
  runtime: SessionRuntime;
  files: LabFiles;
  images: LabImages;
  limits: { memoryMb: number };
  installationId: string;
  log?: (line: string) => void;
};

type Served = { api: SessionApi; owner: object };

/**
 * Process-wide: two provisioners of one process (a worker and a test's engine) serve a session
 * once, and either one's teardown closes it.
 */
const serving = new Map<string, Promise<Served>>();

/**
 * Serving and closing one session's endpoint happen one after the other: a server closing unlinks
 * its socket path, which must not be the path a new server of the same session just bound.
 */
const turns = new Map<string, Promise<unknown>>();
function inTurn<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
  const next = (turns.get(sessionId) ?? Promise.resolve()).then(work, work);
  const settled = next.catch(() => undefined);
  turns.set(sessionId, settled);
  void settled.then(() => turns.get(sessionId) === settled && turns.delete(sessionId));
  return next;
}

export type SessionEndpoints = {
  /** Serves the session's endpoint unless this process does already; safe to repeat. */
  serve(sessionId: string): Promise<void>;
  close(sessionId: string): Promise<void>;
  /** Closes what this instance opened (a worker stopping). */
  closeAll(): Promise<void>;
};

export function createSessionEndpoints(docker: Docker, options: SessionEndpointsOptions): SessionEndpoints {
  const owner = {};
  // docker-modem resolves its default socket lazily (a function until asked).
  const modem = docker.modem as unknown as { getSocketPath(): Promise<string | undefined> };
  const log = options.log ?? ((line: string) => sessionApiLog.error(line));

  async function open(sessionId: string): Promise<Served> {
    const engineSocket = await modem.getSocketPath();
    if (!engineSocket) throw new Error("the session Docker API needs the engine on a unix socket (DOCKER_HOST=unix://…)");
    const api = createSessionApi({
      docker,
      engineSocket,
      sessionId,
      installationId: options.installationId,
      runtime: options.runtime,
      limits: options.limits,
      images: options.images,
      log,
    });
    await api.listen(path.join(await options.files.runDir(sessionId), API_SOCKET));
    return { api, owner };
  }

  const close = (sessionId: string) =>
    inTurn(sessionId, async () => {
      const served = serving.get(sessionId);
      if (!served) return;
      serving.delete(sessionId);
      await (await served.catch(() => undefined))?.api.close();
    });

  return {
    serve: (sessionId) =>
      inTurn(sessionId, async () => {
        if (serving.has(sessionId)) return;
        const served = open(sessionId);
        serving.set(sessionId, served);
        await served.catch((error: unknown) => {
          if (serving.get(sessionId) === served) serving.delete(sessionId);
          throw error;
        });
      }),
    close,
    async closeAll() {
      const mine: string[] = [];
      for (const [sessionId, served] of serving) if ((await served.catch(() => undefined))?.owner === owner) mine.push(sessionId);
      await Promise.all(mine.map(close));
    },
  };
}
